import assert from 'node:assert/strict';
import { it } from 'node:test';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ERROR_CODES } from '../../../src/errors.js';
import { REPO_ROOT } from '../../helpers/repo-root.js';

type Messages = Record<string, Record<string, unknown> & { errors: Record<string, string> }>;

it('the page translates every text and every registered error code into English and Chinese', async () => {
  const i18n = (await import(pathToFileURL(path.join(REPO_ROOT, 'web', 'i18n.js')).href)) as {
    MESSAGES: Messages;
    pickLanguage(preferred: string[]): string;
  };
  const { en, 'zh-CN': zh } = i18n.MESSAGES;
  assert.ok(en && zh);
  assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
  for (const code of [...Object.keys(ERROR_CODES), 'NETWORK_ERROR', 'UNKNOWN']) {
    assert.ok(en.errors[code], `en ${code}`);
    assert.ok(zh.errors[code], `zh-CN ${code}`);
    assert.match(zh.errors[code]!, /[\u4e00-\u9fff]/, `zh-CN ${code} is Chinese`);
  }
  assert.equal(i18n.pickLanguage(['zh-TW', 'en']), 'zh-CN');
  assert.equal(i18n.pickLanguage(['fr', 'en-GB']), 'en');
  assert.equal(i18n.pickLanguage(['de']), 'en');
});

it('Chinese texts use full-width punctuation and call the page attribute analysis, not recognition', async () => {
  const { MESSAGES } = (await import(pathToFileURL(path.join(REPO_ROOT, 'web', 'i18n.js')).href)) as { MESSAGES: Messages };
  const zh = MESSAGES['zh-CN']!;
  const age = { years: 23, range: [18, 30], bucket: '25-32', nearest: true };
  const texts: string[] = [];
  for (const [key, value] of Object.entries(zh)) {
    if (typeof value === 'string') texts.push(value);
    else if (typeof value === 'function') texts.push(...[(value as (...a: unknown[]) => unknown)(key.startsWith('age') ? age : 2, 3)].flat().map(String));
    else texts.push(...Object.values(value as Record<string, string>));
  }
  for (const text of texts.filter((t) => /[\u4e00-\u9fff]/.test(t))) assert.doesNotMatch(text, /[:;,()]/, text);
  assert.equal(zh.colon, '：');
  assert.doesNotMatch(String(zh.title), /识别/);
});
