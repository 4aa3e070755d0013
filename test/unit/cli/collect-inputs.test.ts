import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { annotatedPath } from '../../../src/cli/analyze-command.js';
import { collectInputs, commonFolder } from '../../../src/cli/collect-inputs.js';

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

test('annotated copies keep the inputs\' folders below their common folder, so equal names do not collide', () => {
  const base = commonFolder(['dup/a/x.jpg', 'dup/b/x.jpg', 'dup/b/deeper/y.png']);
  assert.equal(base, path.resolve('dup'));
  assert.equal(annotatedPath('dup/a/x.jpg', base, 'out'), path.join('out', 'a', 'x.annotated.jpg'));
  assert.equal(annotatedPath('dup/b/x.jpg', base, 'out'), path.join('out', 'b', 'x.annotated.jpg'));
  assert.equal(annotatedPath('dup/b/deeper/y.png', base, 'out'), path.join('out', 'b', 'deeper', 'y.annotated.png'));
  // One file: its own folder; x.jpg and x.webp side by side keep apart too.
  assert.equal(commonFolder(['/p/x.jpg']), '/p');
  assert.equal(annotatedPath('/p/x.webp', '/p', 'out'), path.join('out', 'x.webp.annotated.jpg'));
  assert.equal(commonFolder(['/a/x.jpg', '/b/x.jpg']), '/');
});
