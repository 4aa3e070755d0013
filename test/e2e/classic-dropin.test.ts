/**
 * FaceRead as a drop-in for the classic Flask app: its model folder (made
 * here in LearnOpenCV's layout) imported with `models import-classic`, the
 * server started with FACEREAD_API_COMPAT=classic and that profile, then the
 * classic app's own clients against it, unchanged: its page in Chromium
 * (boxes and labels appear where the answer says; an empty upload shows
 * 没有上传图片) and a Python script using requests, checking the answer field by
 * field. Needs ../shared/models/opencv; the browser part needs Debian's
 * chromium, the Python part python3 with python3-requests.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { SAMPLE_DIR } from '../integration/server/helpers.js';
import { makeClassicFolder } from '../helpers/classic-folder.js';
import { faceread } from '../helpers/faceread-cli.js';
import { OPENCV_MODELS_DIR } from '../helpers/opencv-fixtures.js';
import { REPO_ROOT } from '../helpers/repo-root.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { ARTIFACTS, browserSkip, launch } from './helpers/browser.js';

const PYTHON = '/usr/bin/python3';
const CLASSIC_APP = path.join(REPO_ROOT, 'test', 'fixtures', 'classic-app');
const AGE_BUCKET = /^(0-2|4-6|8-12|15-20|25-32|38-43|48-53|60-100)$/;

function pythonSkip(): string | false {
  if (!existsSync(PYTHON)) return `${PYTHON} is absent`;
  try {
    execFileSync(PYTHON, ['-c', 'import requests'], { stdio: 'ignore' });
    return false;
  } catch {
    return "python3's requests module is absent (apt-get install -y python3-requests)";
  }
}

const sharedSkip = existsSync(OPENCV_MODELS_DIR) ? false : `${OPENCV_MODELS_DIR} is absent (../shared holds the classic networks)`;
if (sharedSkip) console.log(`# ${sharedSkip}`);

interface ClassicFace {
  bbox: [number, number, number, number];
  gender: string;
  age: string;
}

describe('the classic app\'s clients against FaceRead in compatibility mode', { skip: sharedSkip, timeout: 300_000 }, () => {
  let folder: string;
  let store: string;
  let server: ServerProcess;
  /** FaceRead's own answer (?format=faceread) for a photo, to compare the classic one with. */
  const ownAnswer = async (photo: string) => {
    const body = await readFile(photo);
    const response = await fetch(`${server.url}/api/analyze?format=faceread`, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body }).catch((error: Error) => {
      // Say why the server is gone, if it is: its exit and the end of its log.
      const exit = server.child.exitCode ?? server.child.signalCode;
      throw new Error(`${error.message} (${server.url}; server ${exit === null ? 'running' : `exited: ${exit}`}); its log ends:\n${server.log().slice(-3000)}`, { cause: error });
    });
    return (await response.json()) as { faces: { box: { x: number; y: number; width: number; height: number } }[] };
  };

  before(async () => {
    ({ folder } = await makeClassicFolder('learnopencv'));
    store = await mkdtemp(path.join(os.tmpdir(), 'faceread-dropin-store-'));
    const imported = await faceread(['models', 'import-classic', folder, '--model-dir', store]);
    assert.equal(imported.code, 0, imported.stderr);
    server = await startServerProcess({ FACEREAD_MODEL_DIR: store, FACEREAD_PROFILE: 'classic', FACEREAD_API_COMPAT: 'classic' });
  });
  after(async () => {
    server?.kill();
    await server?.exited;
    await Promise.all([folder, store].filter(Boolean).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  const browser = browserSkip();
  it('shows the boxes and labels on the classic page, and 没有上传图片 for an empty upload', { skip: browser }, async () => {
    const chromium = await launch({ locale: 'zh-CN' });
    try {
      const page = await chromium.context.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      // The classic page is served from the server's own origin, as the Flask app served it.
      const pageUrl = `${server.url}/classic-app/index.html`;
      await page.route(pageUrl, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: readFileSync(path.join(CLASSIC_APP, 'index.html'), 'utf8') }));
      await page.goto(pageUrl);

      const photo = path.join(SAMPLE_DIR, 'sample1.jpg');
      const own = await ownAnswer(photo);
      assert.ok(own.faces.length > 0, 'the imported detector finds faces in sample1');
      await page.setInputFiles('#image-input', photo);
      await page.click('#analyze');
      await page.locator('#processing-time').filter({ hasText: /s$/ }).waitFor({ timeout: 60_000 });
      assert.match((await page.textContent('#processing-time')) ?? '', /^处理时间: \d+\.\d{2}s$/);
      assert.equal(await page.textContent('#error'), '');
      const boxes = page.locator('.face-box');
      assert.equal(await boxes.count(), own.faces.length, 'one box per face FaceRead finds');
      const labels = await page.locator('.face-label').allTextContents();
      for (const label of labels) {
        const [gender, age] = label.split(', ');
        assert.ok(gender === 'Male' || gender === 'Female', label);
        assert.match(age ?? '', AGE_BUCKET, label);
      }
      // Each box sits where FaceRead's own answer puts that face (whole pixels of the photo shown at its size).
      for (const [i, face] of own.faces.entries()) {
        const shown = await boxes.nth(i).evaluate((el: { style: Record<string, string> }) => ['left', 'top', 'width', 'height'].map((k) => Number.parseFloat(el.style[k]!)));
        const right = face.box.x + face.box.width;
        const bottom = face.box.y + face.box.height;
        assert.ok(Math.abs(shown[0]! - face.box.x) < 1 && Math.abs(shown[1]! - face.box.y) < 1, `box ${i}: ${shown} vs ${JSON.stringify(face.box)}`);
        assert.ok(Math.abs(shown[0]! + shown[2]! - right) < 1 && Math.abs(shown[1]! + shown[3]! - bottom) < 1, `box ${i}: ${shown} vs ${JSON.stringify(face.box)}`);
      }
      await page.screenshot({ path: path.join(ARTIFACTS, 'classic-page.png'), fullPage: true });

      // An empty upload, as the classic page sends it (nothing chosen: the field is the text "undefined").
      await page.setInputFiles('#image-input', []);
      await page.click('#analyze');
      await page.locator('#error').filter({ hasText: /./ }).waitFor({ timeout: 30_000 });
      assert.equal(await page.textContent('#error'), '没有上传图片');
      assert.equal(await page.locator('.face-box').count(), 0);
      // The same form sent as the browser encodes it (a file part with an empty name): the classic app's other text.
      const native = await page.evaluate(async () => {
        const form = (globalThis as unknown as { document: { getElementById(id: string): unknown } }).document.getElementById('upload-form');
        // The compiler knows Node's FormData, which takes no form; the browser's does.
        const BrowserFormData = FormData as unknown as new (form: unknown) => FormData;
        const response = await fetch('/api/analyze', { method: 'POST', body: new BrowserFormData(form) });
        return { status: response.status, body: await response.json(), code: response.headers.get('x-faceread-error-code') };
      });
      assert.deepEqual(native, { status: 400, body: { error: '没有选择文件' }, code: 'IMAGE_MISSING' });
      // A file that is not a photo: FaceRead's message, in Chinese as the browser (zh-CN) asks.
      await page.setInputFiles('#image-input', { name: 'notes.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('this is not a photo') });
      await page.click('#analyze');
      await page.locator('#error').filter({ hasText: /./ }).waitFor({ timeout: 30_000 });
      assert.match((await page.textContent('#error')) ?? '', /^(图片已损坏或不完整，无法读取。|不支持此文件类型。.*)$/);
      assert.deepEqual(pageErrors, []);
    } finally {
      await chromium.close();
    }
  });

  it('answers a Python client written as for the classic app, field by field', { skip: pythonSkip() }, async () => {
    const photo = path.join(SAMPLE_DIR, 'sample2.jpg');
    const { stdout } = await promisify(execFile)(PYTHON, [path.join(CLASSIC_APP, 'client.py'), `${server.url}/api/analyze`, photo], { encoding: 'utf8' });
    const seen = JSON.parse(stdout) as { faces: ClassicFace[]; seconds: number; errors: Record<string, { status: number; error: string; code: string }> };
    const own = await ownAnswer(photo);
    assert.equal(seen.faces.length, own.faces.length);
    seen.faces.forEach((face, i) => {
      const box = own.faces[i]!.box;
      assert.deepEqual(face.bbox.slice(0, 2), [Math.trunc(box.x), Math.trunc(box.y)]);
    });
    assert.ok(seen.seconds >= 0);
    assert.deepEqual(seen.errors.no_file, { status: 400, error: '没有上传图片', code: 'IMAGE_MISSING' });
    assert.deepEqual(seen.errors.no_file_name, { status: 400, error: '没有选择文件', code: 'IMAGE_MISSING' });
    assert.equal(seen.errors.not_an_image!.status, 500);
    assert.match(seen.errors.not_an_image!.code, /^(IMAGE_UNDECODABLE|UNSUPPORTED_MEDIA_TYPE)$/);
    assert.match(seen.errors.not_an_image!.error, /image/i, 'English without an Accept-Language: FaceRead\'s own message');
  });
});
