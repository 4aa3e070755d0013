import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ERROR_CODES, FaceReadError, invalidOption } from '../../src/errors.js';
import { REPO_ROOT } from '../helpers/repo-root.js';

test('every error code is documented in the README with its HTTP status', async () => {
  const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
  for (const [code, { statusCode }] of Object.entries(ERROR_CODES)) {
    assert.match(readme, new RegExp(`\\| \`${code}\` \\| ${statusCode} \\|`), `${code} (${statusCode}) is missing from the README's error table`);
  }
});

test('errors carry their code and status, and serialise without a stack', () => {
  const error = new FaceReadError('IMAGE_TOO_LARGE', 'The upload is 20 MB, over the 15 MB limit');
  assert.equal(error.statusCode, 413);
  assert.deepEqual(JSON.parse(JSON.stringify(error)), { code: 'IMAGE_TOO_LARGE', message: 'The upload is 20 MB, over the 15 MB limit' });
  assert.equal(invalidOption('maxFaces', 'an integer', 'lots').message, "Expected an integer for maxFaces but received 'lots' of type string");
});
