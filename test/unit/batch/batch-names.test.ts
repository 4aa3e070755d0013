import { test } from 'node:test';
import assert from 'node:assert/strict';
import { photoJobId, validateBatchName } from '../../../src/batch/batch-names.js';

test('validateBatchName accepts safe names and refuses the rest with the expected shape', () => {
  for (const good of ['archive', 'archive-2024', 'a.b_c-1', '7days', 'x'.repeat(100)]) assert.equal(validateBatchName(good), good);
  for (const bad of ['', 'a:b', '-lead', '.hidden', 'sp ace', 'x'.repeat(101), 'ü', 42]) {
    assert.throws(() => validateBatchName(bad), (e: Error & { code?: string }) => e.code === 'INVALID_OPTION' && /Expected letters, digits, "\.", "_" or "-" .* for batch name but received/.test(e.message), String(bad));
  }
});

test('photoJobId is stable per key, distinct across keys, never integer-like and free of ":"', () => {
  assert.equal(photoJobId('2024/a.jpg'), photoJobId('2024/a.jpg'));
  assert.notEqual(photoJobId('2024/a.jpg'), photoJobId('2024/b.jpg'));
  assert.match(photoJobId('1'), /^p-[0-9a-f]{40}$/);
  assert.ok(!photoJobId('x:y').includes(':'));
});
