/**
 * The Chinese guide (docs/README.zh-CN.md) must not fall behind the code:
 * every error code with its HTTP status and every server setting appear in it,
 * as they do in the English README.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { ERROR_CODES } from '../../src/errors.js';
import { SERVER_CONFIG_SCHEMA } from '../../src/server/config.js';
import { REPO_ROOT } from '../helpers/repo-root.js';

const readDoc = (file: string) => readFile(path.join(REPO_ROOT, file), 'utf8');

test('the Chinese guide lists every error code with its HTTP status', async () => {
  const guide = await readDoc('docs/README.zh-CN.md');
  for (const [code, { statusCode }] of Object.entries(ERROR_CODES)) {
    assert.match(guide, new RegExp(`\\| \`${code}\` \\| ${statusCode} \\|`), `${code} (${statusCode}) is missing from docs/README.zh-CN.md`);
  }
});

test('both guides name every server setting', async () => {
  for (const file of ['README.md', 'docs/README.zh-CN.md']) {
    const guide = await readDoc(file);
    for (const [name, { env }] of Object.entries(SERVER_CONFIG_SCHEMA)) {
      assert.ok(guide.includes(`\`${env}\``), `${env} (${name}) is missing from ${file}`);
    }
  }
});

test('the English README links the Chinese guide', async () => {
  assert.match(await readDoc('README.md'), /\]\(docs\/README\.zh-CN\.md\)/);
});
