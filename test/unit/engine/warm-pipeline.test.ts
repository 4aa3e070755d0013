import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneAtATime } from '../../../src/engine/one-at-a-time.js';
import { warmPipeline } from '../../../src/engine/warm-pipeline.js';
import type { LoadedRunners } from '../../../src/pipeline/analyze-photo.js';
import { detectorChain } from '../../../src/pipeline/detectors/detector-chain.js';
import type { RgbImage } from '../../../src/types.js';

/** Runners that record what they were given: the detector's images and the faces each predict call saw. */
function recordingRunners() {
  const seen = { detectorImages: [] as RgbImage[], predictFaces: [] as number[] };
  const runners: LoadedRunners = {
    detector: detectorChain([{ id: 'd', detector: { inputSide: 512, detect: async (image) => (seen.detectorImages.push(image), []) } }]),
    attributeModels: [{ id: 'm', runner: { cropSide: 112, predict: async (_image, faces) => (seen.predictFaces.push(faces.length), faces.map(() => ({ ageYears: 30 }))) } }],
    answers: { age: { models: ['m'], combine: 'alone' } },
  };
  return { runners, seen };
}

const decode = { maxPixels: 50e6, workingSide: 2048, detectorSide: 512 };

test('the warm-up decodes a camera-sized JPEG the reduced way, runs the detector, then the face models on one face and on several', async () => {
  const { runners, seen } = recordingRunners();
  await warmPipeline(runners, decode, oneAtATime(), () => false);
  assert.equal(seen.detectorImages.length, 1);
  // 1920x1280 decoded at 1/2 scale and reduced to 640 (decode.ts reducedSide): the path a camera photo takes.
  assert.deepEqual([seen.detectorImages[0]!.width, seen.detectorImages[0]!.height], [640, 427]);
  assert.deepEqual(seen.predictFaces, [1, 6]);
});

test('once a photo has come, the warm-up stages left are skipped', async () => {
  const { runners, seen } = recordingRunners();
  let stages = 0;
  const inTurn = oneAtATime();
  const counting = <T>(stage: () => Promise<T>) => inTurn(async () => ((stages += 1), stage()));
  await warmPipeline(runners, decode, counting, () => seen.detectorImages.length > 0);
  assert.equal(seen.detectorImages.length, 1, 'the stage under way finishes');
  assert.deepEqual(seen.predictFaces, [], 'no face stage runs after the photo came');
  assert.equal(stages, 3, 'the skipped stages still take their turn, doing nothing');
});
