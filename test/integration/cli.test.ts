import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { FACEAPI_SAMPLE_DIR } from '../helpers/faceapi-reference.js';
import { REPO_ROOT } from '../helpers/repo-root.js';
import { TEST_STORE_DIR } from '../helpers/test-store.js';

const run = promisify(execFile);
const BIN = path.join(REPO_ROOT, 'bin', 'faceread.js');

async function faceread(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, FACEREAD_MODEL_DIR: TEST_STORE_DIR }, maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('analyze: a folder with a broken file gives one NDJSON line per file and exit code 1', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'faceread-cli-'));
  await copyFile(path.join(FACEAPI_SAMPLE_DIR, 'sample1.jpg'), path.join(dir, 'a.jpg'));
  await copyFile(path.join(FACEAPI_SAMPLE_DIR, 'sample4.jpg'), path.join(dir, 'b.jpg'));
  await writeFile(path.join(dir, 'c.jpg'), 'not really a jpeg');
  const annotated = path.join(dir, 'annotated');
  const { code, stdout } = await faceread(['analyze', dir, '--format', 'ndjson', '--annotate', annotated]);
  assert.equal(code, 1);
  const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => path.basename(l.file)), ['a.jpg', 'b.jpg', 'c.jpg']);
  assert.deepEqual(lines.slice(0, 2).map((l) => l.faces.length), [3, 4]);
  assert.equal(lines[2].error.code, 'UNSUPPORTED_MEDIA_TYPE');
  const written = (await readdir(annotated)).sort();
  assert.deepEqual(written, ['a.annotated.jpg', 'b.annotated.jpg']);
  const meta = await sharp(path.join(annotated, 'a.annotated.jpg')).metadata();
  assert.deepEqual([meta.width, meta.height], [lines[0].image.width, lines[0].image.height]);
  await rm(dir, { recursive: true, force: true });
});

test('analyze: csv output and exit code 0 when every file succeeds', async () => {
  const { code, stdout } = await faceread(['analyze', path.join(FACEAPI_SAMPLE_DIR, 'sample5.jpg'), '--format', 'csv', '--attributes', 'gender']);
  assert.equal(code, 0);
  const rows = stdout.trim().split('\n');
  assert.equal(rows.length, 1 + 5);
  assert.ok(rows.slice(1).every((r) => r.includes(',female,') && /,,,$/.test(r)), 'gender only: no age columns');
});

test('usage errors exit 2 with a message naming the option and one line pointing at the help', async () => {
  const bad = await faceread(['analyze', 'x.jpg', '--min-score', 'high']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Expected a number between 0 and 1 but received 'high'/);
  assert.equal(bad.stderr.trim().split('\n').length, 2, bad.stderr);
  assert.match(bad.stderr, /^\(run 'faceread analyze --help' for usage\)$/m);
  const badOutput = await faceread(['analyze', 'x.jpg', '--output', 'faces.dat']);
  assert.equal(badOutput.code, 2);
  assert.match(badOutput.stderr, /cannot tell the format of --output 'faces\.dat'/);
  const unknown = await faceread(['analyze', 'x.jpg', '--models', 'nope']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Unknown model profile "nope"\. Should be one of: default, fast/);
});

test('models list and verify report the store', async () => {
  const list = await faceread(['models', 'list']);
  assert.equal(list.code, 0);
  // The SSD runs in int8 by default, so the analyses above made its int8 file (float32 only if asked for).
  assert.match(list.stdout, /^faceapi-ssd-mobilenetv1 +detector +(ok|missing).*\n {2}int8 \(default\) +ok /m);
  assert.match(list.stdout, /^faceapi-age-gender +attributes +ok/m);
  // Each network with an int8 version has a line for it (made or not yet).
  assert.match(list.stdout, /int8 +(ok|missing)$/m);
  assert.match(list.stdout, /default +built-in +detectors faceapi-ssd-mobilenetv1 > human-blazeface-back; landmarks faceapi-landmarks-68; age faceapi-age-gender; gender faceapi-age-gender/);
  const verify = await faceread(['models', 'verify']);
  assert.equal(verify.code, 0);
  assert.match(verify.stdout, /faceapi-age-gender +ok/);
});

test('--version prints the package version', async () => {
  const { version } = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const shown = await faceread([flag]);
    assert.equal(shown.code, 0);
    assert.equal(shown.stdout.trim(), version);
  }
});

test('analyze --output faces.csv: CSV by extension (a row for the photo without faces), a summary on stderr, annotated copies in their folders', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'faceread-cli-'));
  await mkdir(path.join(dir, 'dup', 'a'), { recursive: true });
  await mkdir(path.join(dir, 'dup', 'b'), { recursive: true });
  await copyFile(path.join(FACEAPI_SAMPLE_DIR, 'sample1.jpg'), path.join(dir, 'dup', 'a', 'x.jpg'));
  await copyFile(path.join(FACEAPI_SAMPLE_DIR, 'sample4.jpg'), path.join(dir, 'dup', 'b', 'x.jpg'));
  await sharp({ create: { width: 64, height: 48, channels: 3, background: '#888' } }).jpeg().toFile(path.join(dir, 'dup', 'blank.jpg'));
  await writeFile(path.join(dir, 'dup', 'broken.jpg'), 'not really a jpeg');
  const csvFile = path.join(dir, 'faces.csv');
  const annotated = path.join(dir, 'annotated');
  const { code, stdout, stderr } = await faceread(['analyze', path.join(dir, 'dup'), '--output', csvFile, '--annotate', annotated]);
  assert.equal(code, 1, 'broken.jpg failed');
  assert.equal(stdout, '', 'results go to the file, not stdout');
  assert.match(stderr, /^faceread: 4 photos, 7 faces, 1 failed \(.*broken\.jpg: UNSUPPORTED_MEDIA_TYPE\)$/m);
  const rows = (await readFile(csvFile, 'utf8')).trim().split('\n');
  assert.match(rows[0]!, /^file,faces,face,/);
  assert.equal(rows.length, 1 + 3 + 4 + 1 + 1, 'header, 3 + 4 faces, the photo without faces, the failure');
  assert.ok(rows.includes(`${path.join(dir, 'dup', 'blank.jpg')},0,,,,,,,,,,,,,,`), 'blank.jpg has its row with faces 0');
  // Two x.jpg in different folders: two annotated copies, none overwritten.
  const a = await sharp(path.join(annotated, 'a', 'x.annotated.jpg')).metadata();
  const b = await sharp(path.join(annotated, 'b', 'x.annotated.jpg')).metadata();
  const [s1, s4] = await Promise.all([1, 4].map((n) => sharp(path.join(FACEAPI_SAMPLE_DIR, `sample${n}.jpg`)).metadata()));
  assert.deepEqual([a.width, a.height, b.width, b.height], [s1!.width, s1!.height, s4!.width, s4!.height]);
  await rm(dir, { recursive: true, force: true });
});
