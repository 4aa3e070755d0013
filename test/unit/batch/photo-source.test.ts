import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createFileSource, photoKeyFor, photoPathFor } from '../../../src/batch/photo-source.js';

test('photoKeyFor: relative to the root with "/" separators, absolute without a root', () => {
  assert.equal(photoKeyFor('/mnt/photos/2024/a.jpg', '/mnt/photos'), '2024/a.jpg');
  assert.equal(photoKeyFor('/mnt/photos/2024/a.jpg', '/mnt/photos/'), '2024/a.jpg');
  assert.equal(photoKeyFor('a.jpg'), path.resolve('a.jpg'));
  assert.throws(() => photoKeyFor('/elsewhere/a.jpg', '/mnt/photos'), /\/elsewhere\/a\.jpg is not inside the root folder \/mnt\/photos/);
});

test('photoPathFor resolves keys under the root and refuses keys that climb out', () => {
  assert.equal(photoPathFor('2024/a.jpg', '/data'), '/data/2024/a.jpg');
  assert.equal(photoPathFor('/abs/a.jpg'), '/abs/a.jpg');
  for (const key of ['../etc/passwd', '2024/../../x', '/etc/passwd']) {
    assert.throws(() => photoPathFor(key, '/data'), (e: Error & { code?: string }) => e.code === 'INVALID_OPTION' && /points outside the root folder/.test(e.message), key);
  }
});

test('createFileSource reads a key under its root; a missing file is NOT_FOUND', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'faceread-source-'));
  await mkdir(path.join(root, 'sub'));
  await writeFile(path.join(root, 'sub', 'a.jpg'), 'bytes');
  const source = createFileSource(root);
  assert.equal((await source.read('sub/a.jpg')).toString(), 'bytes');
  await assert.rejects(source.read('sub/none.jpg'), (e: Error & { code?: string }) => e.code === 'NOT_FOUND' && /no such file/.test(e.message));
  await rm(root, { recursive: true, force: true });
});
