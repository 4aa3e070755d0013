import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { collectInputs } from '../../../src/cli/collect-inputs.js';

test('files, folders (recursive, images only) and globs expand; unmatched arguments are reported', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'faceread-inputs-'));
  await mkdir(path.join(dir, 'album', 'nested'), { recursive: true });
  for (const f of ['album/a.jpg', 'album/B.PNG', 'album/nested/c.webp', 'album/notes.txt', 'single.tiff']) await writeFile(path.join(dir, f), 'x');
  const { files, unmatched } = await collectInputs([
    path.join(dir, 'single.tiff'),
    path.join(dir, 'album'),
    `${dir}/album/*.jpg`,
    path.join(dir, 'missing.jpg'),
  ]);
  assert.deepEqual(files, [
    path.join(dir, 'single.tiff'),
    path.join(dir, 'album', 'B.PNG'),
    path.join(dir, 'album', 'a.jpg'),
    path.join(dir, 'album', 'nested', 'c.webp'),
  ]);
  assert.deepEqual(unmatched, [path.join(dir, 'missing.jpg')]);
  await rm(dir, { recursive: true, force: true });
});
