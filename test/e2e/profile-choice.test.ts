/**
 * The page's model profile selector in Chromium: shown with translated
 * labels when the server offers several profiles, the chosen one is sent
 * as `models=` with each photo; hidden when only one is offered. Fake
 * analyzers stand in for the models: what matters here is which one the
 * page's requests reach.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildApp } from '../../src/server/app.js';
import { SAMPLE_DIR, fakeAnalyzer, testConfig } from '../integration/server/helpers.js';
import { ARTIFACTS, browserSkip, launch } from './helpers/browser.js';

const skip = browserSkip();
const models = { detector: 'fake', detectors: ['fake'], attributes: ['fake'], answers: { age: ['fake'], gender: ['fake'] } };

describe('model profile selector', { skip, timeout: 120_000 }, () => {
  it('offers the server\'s profiles in English and Chinese and sends the chosen one with each photo', async () => {
    const standard = fakeAnalyzer();
    const fast = fakeAnalyzer();
    const app = await buildApp({
      profiles: [
        { name: 'default', models, analyzer: standard },
        { name: 'fast', models, analyzer: fast },
      ],
      config: testConfig(),
    });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const browser = await launch({ locale: 'en-US' });
    try {
      const page = await browser.context.newPage();
      await page.goto(base);
      await page.locator('#profile-choice:not([hidden])').waitFor({ state: 'visible', timeout: 10_000 });
      assert.equal(await page.textContent('#profile-choice label'), 'Models');
      assert.deepEqual(await page.locator('#profile-select option').allTextContents(), ['Standard', 'Fast (may miss small faces)']);
      assert.equal(await page.inputValue('#profile-select'), 'default');

      await page.selectOption('#profile-select', 'fast');
      await page.setInputFiles('#file-input', [join(SAMPLE_DIR, 'sample1.jpg')]);
      await page.locator('.photo-item[data-state=done]').waitFor({ state: 'attached', timeout: 30_000 });
      assert.equal(fast.calls.length, 1, 'the photo went to the chosen profile');
      assert.equal(standard.calls.length, 0);

      await page.click('#language');
      assert.equal(await page.textContent('#profile-choice label'), '模型');
      assert.deepEqual(await page.locator('#profile-select option').allTextContents(), ['标准', '快速（可能漏检小人脸）']);
      assert.equal(await page.inputValue('#profile-select'), 'fast', 'the choice survives the language switch');
      await page.screenshot({ path: join(ARTIFACTS, 'page-profiles.png') });
    } finally {
      await browser.close();
      await app.close();
    }
  });

  it('is hidden when the server offers one profile', async () => {
    const app = await buildApp({ analyzer: fakeAnalyzer(), config: testConfig() });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const browser = await launch();
    try {
      const page = await browser.context.newPage();
      const profiles = page.waitForResponse((response) => response.url().endsWith('/api/profiles'));
      await page.goto(base);
      assert.equal((await profiles).status(), 200);
      // Rendered once the list has arrived: one option, and no selector to show.
      await page.locator('#profile-select option').waitFor({ state: 'attached', timeout: 10_000 });
      assert.equal(await page.locator('#profile-select option').count(), 1);
      assert.equal(await page.locator('#profile-choice').isHidden(), true);
    } finally {
      await browser.close();
      await app.close();
    }
  });

  it('with an API key: "key missing" and "key not accepted" worded apart, and the profiles appear once the key is typed (no reload)', async () => {
    const app = await buildApp({
      profiles: [
        { name: 'default', models, analyzer: fakeAnalyzer() },
        { name: 'fast', models, analyzer: fakeAnalyzer() },
      ],
      config: testConfig({ apiKey: 's3cret' }),
    });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const browser = await launch({ locale: 'en-US' });
    try {
      const page = await browser.context.newPage();
      await page.goto(base);
      assert.equal(await page.locator('#profile-choice').isHidden(), true, 'no key: the server lists no profiles');
      const upload = async (n: number) => {
        await page.setInputFiles('#file-input', [join(SAMPLE_DIR, 'sample1.jpg')]);
        await page.locator('.photo-item:not([data-state=pending])').nth(n).waitFor({ state: 'attached', timeout: 30_000 });
        return page.locator('.photo-item').nth(n);
      };
      const missing = await upload(0);
      assert.equal(await missing.locator('.error').textContent(), 'This server needs an API key: enter it above.');
      assert.equal(await missing.locator('.download').isVisible(), false, 'an error card offers no JSON download');
      await page.click('.settings summary');
      await page.fill('#api-key', 'wrong');
      const wrong = await upload(1);
      assert.equal(await wrong.locator('.error').textContent(), 'The server did not accept this API key: check it above.');
      await page.click('#language');
      assert.equal(await wrong.locator('.error').textContent(), '服务器不接受此 API 密钥，请检查上方填写的密钥。');
      await page.click('#language');
      await page.fill('#api-key', 's3cret');
      await page.locator('#profile-choice').waitFor({ state: 'visible', timeout: 10_000 });
      assert.deepEqual(await page.locator('#profile-select option').allTextContents(), ['Standard', 'Fast (may miss small faces)']);
      await page.screenshot({ path: join(ARTIFACTS, 'page-api-key.png'), fullPage: true });
    } finally {
      await browser.close();
      await app.close();
    }
  });
});
