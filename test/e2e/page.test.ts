/**
 * The web page in Chromium against the real server: uploading sample
 * photos draws the right number of boxes with labels in English and in
 * Chinese, an unsupported file shows the translated error, and camera mode
 * (Chromium's fake camera playing a sample photo) draws boxes over the video.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import type { AnalysisResult } from '../../src/types.js';
import { SAMPLE_DIR, SAMPLE_FACES, useRealServer } from '../integration/server/helpers.js';
import { ARTIFACTS, browserSkip, launch } from './helpers/browser.js';
import { writeY4m } from './helpers/y4m.js';

/** The part of a canvas element the test reads (the compiler is set up without DOM types). */
interface Canvas2d {
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
}

const skip = browserSkip();
if (skip) console.log(`# ${skip}`);

describe('web page', { skip, timeout: 180_000 }, () => {
  const server = useRealServer();

  async function uploadAndWait(page: Page, files: string[]): Promise<void> {
    await page.setInputFiles('#file-input', files);
    // Locators, not waitForFunction: the page's CSP (rightly) forbids evaluating strings.
    await page.locator('.photo-item:not([data-state=pending])').nth(files.length - 1).waitFor({ state: 'attached', timeout: 60_000 });
  }

  it('draws boxes and English labels for uploaded photos, then Chinese after switching', async () => {
    const browser = await launch({ locale: 'en-US' });
    try {
      const page = await browser.context.newPage();
      const consoleErrors: string[] = [];
      page.on('pageerror', (error) => consoleErrors.push(error.message));
      await page.goto(server.base);
      assert.equal(await page.textContent('#choose-label'), 'choose photos');
      assert.equal(await page.locator('#clear').isVisible(), false, '"Clear all" stays hidden on an empty page');
      await uploadAndWait(page, [1, 4].map((n) => join(SAMPLE_DIR, `sample${n}.jpg`)));
      const items = page.locator('.photo-item');
      for (const [i, n] of [1, 4].entries()) {
        const item = items.nth(i);
        assert.equal(await item.getAttribute('data-state'), 'done');
        assert.equal(await item.locator('canvas').getAttribute('data-boxes'), String(SAMPLE_FACES[n - 1]), `sample${n}`);
        // Each card says each thing once: its number, gender, age, bucket (marked "nearest" when the years lie outside it), confidence.
        const cards = await item.locator('.face-card').allInnerTexts();
        assert.equal(cards.length, SAMPLE_FACES[n - 1]);
        for (const [k, card] of cards.entries()) {
          assert.match(card, new RegExp(`^Face ${k + 1}\\n(female|male), \\d+% sure\\n\\d+ years\\n(nearest )?bucket \\d+-\\d+\\ndetector confidence \\d+%$`), card);
          const [, years] = /^Face \d+\n.*\n(\d+) years/.exec(card)!;
          const [, nearest, low, high] = /\n(nearest )?bucket (\d+)-(\d+)/.exec(card)!;
          assert.equal(Boolean(nearest), Number(years) < Number(low) || Number(years) > Number(high), card);
        }
        assert.match(await item.locator('.timings').textContent() ?? '', /Timings: decode \d+ ms/);
      }
      // A pixel on each face's left box edge has that face's colour, so the boxes were really drawn where the API said.
      const api = await fetch(`${server.base}/api/analyze`, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: await readFile(join(SAMPLE_DIR, 'sample1.jpg')) });
      const { faces } = (await api.json()) as AnalysisResult;
      const points = faces.map((face) => [Math.round(face.box.x), Math.round(face.box.y + face.box.height / 2)]);
      const pixels = await items.nth(0).locator('canvas').evaluate((canvas: Canvas2d, at: number[][]) => {
        const ctx = canvas.getContext('2d');
        return at.map(([x, y]) => [...ctx.getImageData(x!, y!, 1, 1).data].slice(0, 3));
      }, points);
      const colours = { female: [232, 69, 122], male: [47, 125, 225] };
      faces.forEach((face, i) => {
        const expected = colours[face.gender!.label];
        const distance = Math.max(...expected.map((c, k) => Math.abs(c - pixels[i]![k]!)));
        assert.ok(distance <= 30, `face ${i} edge pixel ${pixels[i]} vs ${expected}`);
      });
      await page.screenshot({ path: join(ARTIFACTS, 'page-en.png'), fullPage: true });

      await page.click('#language');
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
      assert.equal(await page.textContent('#choose-label'), '选择照片');
      const zhLabels = await items.nth(0).locator('.face-label').allTextContents();
      assert.equal(zhLabels.length, SAMPLE_FACES[0]);
      for (const label of zhLabels) assert.match(label, /^人脸 \d+$/);
      for (const card of await items.nth(0).locator('.face-card').allInnerTexts()) {
        assert.match(card, /^人脸 \d+\n(女|男)，置信度 \d+%\n\d+ 岁\n(最接近的)?年龄段 \d+-\d+\n检测置信度 \d+%$/, card);
      }
      // Full-width punctuation in Chinese text; the title says attribute analysis, not identity recognition.
      assert.match(await items.nth(0).locator('.timings').textContent() ?? '', /^耗时：解码/);
      assert.equal(await page.title(), 'FaceRead 人脸属性分析');
      await page.screenshot({ path: join(ARTIFACTS, 'page-zh.png'), fullPage: true });
      assert.deepEqual(consoleErrors, []);
    } finally {
      await browser.close();
    }
  });

  it('crowded photos get number labels that do not cover one another; a small photo is not blown up; narrow screens too', async () => {
    const tiny = join(ARTIFACTS, 'tiny.jpg');
    await sharp(join(SAMPLE_DIR, 'sample1.jpg')).resize({ width: 200 }).jpeg().toFile(tiny);
    for (const width of [1100, 390]) {
      const browser = await launch({ locale: 'en-US', viewport: { width, height: 900 } });
      try {
        const page = await browser.context.newPage();
        await page.goto(server.base);
        await uploadAndWait(page, [join(SAMPLE_DIR, 'sample5.jpg'), tiny]);
        const canvases = page.locator('.photo-item canvas');
        const boxes = JSON.parse((await canvases.nth(0).getAttribute('data-labels')) ?? '[]') as number[][];
        assert.equal(boxes.length, SAMPLE_FACES[4]);
        for (const [i, a] of boxes.entries()) {
          for (const b of boxes.slice(i + 1)) {
            const apart = a[0]! + a[2]! <= b[0]! || b[0]! + b[2]! <= a[0]! || a[1]! + a[3]! <= b[1]! || b[1]! + b[3]! <= a[1]!;
            assert.ok(apart, `labels ${a} and ${b} overlap at ${width} px`);
          }
        }
        const shown = await canvases.nth(1).boundingBox();
        assert.ok(shown && shown.width <= 200 + 0.5, `the 200-pixel photo is shown ${shown?.width} px wide`);
        await page.screenshot({ path: join(ARTIFACTS, `page-crowded-${width}.png`), fullPage: true });
      } finally {
        await browser.close();
      }
    }
  });

  it('the API docs page loads without a CSP violation', async () => {
    const browser = await launch();
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
      await page.goto(`${server.base}/docs`);
      await page.locator('.swagger-ui .info').waitFor({ state: 'visible', timeout: 30_000 });
      assert.deepEqual(errors.filter((e) => /Content Security Policy/.test(e)), []);
    } finally {
      await browser.close();
    }
  });

  it('starts in Chinese for a Chinese browser and shows the translated error for an unsupported file', async () => {
    const browser = await launch({ locale: 'zh-CN' });
    try {
      const page = await browser.context.newPage();
      await page.goto(server.base);
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
      const textFile = join(ARTIFACTS, 'notes.txt');
      await writeFile(textFile, 'this is not a photo');
      await uploadAndWait(page, [textFile]);
      const item = page.locator('.photo-item').first();
      assert.equal(await item.getAttribute('data-state'), 'error');
      assert.equal(await item.locator('.error').getAttribute('data-code'), 'UNSUPPORTED_MEDIA_TYPE');
      assert.match(await item.locator('.error').textContent() ?? '', /不支持此文件类型/);
      await page.click('#language');
      assert.match(await item.locator('.error').textContent() ?? '', /This file type is not supported/);
      await page.screenshot({ path: join(ARTIFACTS, 'page-error.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it('camera mode draws boxes over the fake camera stream and stop releases it', async () => {
    const video = join(ARTIFACTS, 'fake-camera.y4m');
    await writeY4m(video, join(SAMPLE_DIR, 'sample1.jpg'));
    const browser = await launch({
      extraArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
    });
    try {
      const page = await browser.context.newPage();
      await page.goto(server.base);
      await page.click('#tab-camera');
      await page.click('#camera-toggle');
      await page.locator('#camera-overlay[data-boxes]:not([data-boxes="0"])').waitFor({ state: 'attached', timeout: 60_000 });
      // Let a few frames go through to measure the frame rate.
      await page.waitForTimeout(3000);
      const boxes = Number(await page.getAttribute('#camera-overlay', 'data-boxes'));
      assert.ok(boxes >= 2 && boxes <= 3, `boxes on the camera overlay: ${boxes}`);
      const status = (await page.textContent('#camera-status')) ?? '';
      const fps = Number(/([\d.]+) frames\/s/.exec(status)?.[1]);
      assert.ok(fps > 0, status);
      console.log(`# camera mode: ${status}`);
      await page.screenshot({ path: join(ARTIFACTS, 'page-camera.png') });
      await page.click('#camera-toggle');
      const live = await page.locator('#camera-video').evaluate((video: { srcObject: unknown }) => video.srcObject);
      assert.equal(live, null);
      assert.equal(await page.getAttribute('#camera-overlay', 'data-boxes'), null);
    } finally {
      await browser.close();
    }
  });
});
