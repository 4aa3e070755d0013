/**
 * The page's attribute choice in Chromium against the real server: one
 * checkbox per attribute of the registry (age and gender ticked), and with
 * expression and pose ticked, each face card shows them, in English and
 * after switching, in Chinese.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ATTRIBUTE_DEFINITIONS } from '../../src/attributes/registry.js';
import { SAMPLE_DIR, SAMPLE_FACES, useRealServer } from '../integration/server/helpers.js';
import { browserSkip, launch } from './helpers/browser.js';

const skip = browserSkip();
if (skip) console.log(`# ${skip}`);

describe('web page: choosing attributes', { skip, timeout: 180_000 }, () => {
  const server = useRealServer();

  it('offers every attribute, and shows the chosen ones in each face card in both languages', async () => {
    const browser = await launch({ locale: 'en-US' });
    try {
      const page = await browser.context.newPage();
      await page.goto(server.base);
      const boxes = page.locator('#attribute-boxes input');
      await boxes.nth(ATTRIBUTE_DEFINITIONS.length - 1).waitFor({ state: 'attached', timeout: 30_000 });
      assert.deepEqual(await boxes.evaluateAll((inputs) => inputs.map((i) => (i as unknown as { value: string }).value)), ATTRIBUTE_DEFINITIONS.map((d) => d.name));
      const ticked = await boxes.evaluateAll((inputs) => inputs.filter((i) => (i as unknown as { checked: boolean }).checked).map((i) => (i as unknown as { value: string }).value));
      assert.deepEqual(ticked.sort(), ['age', 'gender']);
      await page.check('#attribute-boxes input[value=expression]');
      await page.check('#attribute-boxes input[value=pose]');
      await page.setInputFiles('#file-input', [join(SAMPLE_DIR, 'sample1.jpg')]);
      await page.locator('.photo-item:not([data-state=pending])').first().waitFor({ state: 'attached', timeout: 60_000 });
      const cards = await page.locator('.face-card').allInnerTexts();
      assert.equal(cards.length, SAMPLE_FACES[0]);
      for (const card of cards) {
        assert.match(card, /\n(neutral|happy|sad|angry|fearful|disgusted|surprised), \d+%\n/, card);
        assert.match(card, /\nyaw -?\d+°, pitch -?\d+°, roll -?\d+°\n/, card);
        assert.match(card, /(female|male), \d+% sure/, card);
      }
      await page.click('#language');
      for (const card of await page.locator('.face-card').allInnerTexts()) {
        assert.match(card, /\n表情：(平静|高兴|悲伤|生气|恐惧|厌恶|惊讶)，\d+%\n/, card);
        assert.match(card, /\n偏航 -?\d+°，俯仰 -?\d+°，翻滚 -?\d+°\n/, card);
      }
      assert.equal(await page.locator('#attribute-choice legend').textContent(), '属性');
    } finally {
      await browser.close();
    }
  });
});
