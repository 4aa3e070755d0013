import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { collectBatchKeys, defaultBatchName, keysFromList } from '../../../src/batch/batch-inputs.js';
import { validateBatchName } from '../../../src/batch/batch-names.js';

test('keysFromList skips blanks and comments; relative lines are under the root, or resolved without one', () => {
  assert.deepEqual(keysFromList('# photos\n\na.jpg\r\n sub/b.jpg \n/r/c.jpg\n', '/r'), ['a.jpg', 'sub/b.jpg', 'c.jpg']);
  assert.deepEqual(keysFromList('a.jpg\n'), [path.resolve('a.jpg')]);
});

test('defaultBatchName: named after the first input, the same for the same set in any order, and valid', () => {
  const a = defaultBatchName(['/mnt/My Photos/'], ['x.jpg', 'y.jpg']);
  assert.match(a, /^My-Photos-[0-9a-f]{8}$/);
  assert.equal(defaultBatchName(['/mnt/My Photos'], ['y.jpg', 'x.jpg']), a);
  assert.notEqual(defaultBatchName(['/mnt/My Photos'], ['x.jpg']), a);
  assert.equal(validateBatchName(defaultBatchName(['/.../'], ['k'])), defaultBatchName(['/.../'], ['k']));
});

test('collectBatchKeys: folders, files and lists into unique keys relative to the root', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'faceread-inputs-'));
  await mkdir(path.join(root, 'album'));
  for (const f of ['album/a.jpg', 'album/b.png', 'album/notes.txt', 'c.jpg']) await writeFile(path.join(root, f), 'x');
  await writeFile(path.join(root, 'list.txt'), 'album/a.jpg\nremote/d.jpg\n');
  const collected = await collectBatchKeys([path.join(root, 'album'), path.join(root, 'c.jpg'), path.join(root, 'none')], { root, lists: [path.join(root, 'list.txt')] });
  assert.deepEqual(collected.keys, ['album/a.jpg', 'album/b.png', 'c.jpg', 'remote/d.jpg']);
  assert.deepEqual(collected.unmatched, [path.join(root, 'none')]);
  await rm(root, { recursive: true, force: true });
});
