/**
 * A profile's detector chain takes each detector's own settings from its
 * kind unless the profile gives them: YuNet keeps faces from 0.6 up,
 * SCRFD has no own minimum.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadRunners } from '../../../src/engine/load-runners.js';
import type { StoredModelFile } from '../../../src/models/prepare.js';
import { syntheticScrfd, syntheticYunet } from '../../helpers/synthetic-detectors.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'faceread-load-runners-'));
  await writeFile(path.join(dir, 'yunet.onnx'), syntheticYunet());
  await writeFile(path.join(dir, 'scrfd.onnx'), syntheticScrfd());
});
after(() => rm(dir, { recursive: true, force: true }));

async function chainOf(detectors: StoredModelFile[]) {
  const runners = await loadRunners({ detectors, attributeModels: [], answers: {} }, { intraOpThreads: 1, executionProvider: 'cpu' });
  return runners.detector.links.map((link) => ({ id: link.id, minScore: link.minScore }));
}

test("a detector's kind gives its own min score (YuNet 0.6) to both its links unless the profile sets one", async () => {
  const yunet = { id: 'crowd-detector', path: path.join(dir, 'yunet.onnx'), kind: 'yunet' };
  const scrfd = { id: 'crowd-fallback', path: path.join(dir, 'scrfd.onnx'), kind: 'scrfd' };
  assert.deepEqual(await chainOf([yunet, scrfd]), [
    { id: 'crowd-detector', minScore: 0.6 },
    { id: 'crowd-detector+border', minScore: 0.6 },
    { id: 'crowd-fallback', minScore: undefined },
    { id: 'crowd-fallback+border', minScore: undefined },
  ]);
  assert.deepEqual(await chainOf([{ ...yunet, options: { minScore: 0.3, look: 'as-is' } }]), [{ id: 'crowd-detector', minScore: 0.3 }]);
});
