import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectWithPaddedRetry, shrinkByFactor, withBorder } from '../../../../src/pipeline/detectors/padded-retry.js';
import type { FaceDetector } from '../../../../src/pipeline/runner-types.js';
import type { RgbImage } from '../../../../src/types.js';

const image: RgbImage = { data: new Uint8Array(4 * 2 * 3).fill(7), width: 4, height: 2 };
const options = { minScore: 0.5, maxFaces: 10 };

test('a border of black pixels around the photo', () => {
  const bordered = withBorder(image, 1);
  assert.equal(bordered.width, 6);
  assert.equal(bordered.height, 4);
  assert.equal(bordered.data[0], 0);
  assert.equal(bordered.data[(1 * 6 + 1) * 3], 7);
  assert.equal(bordered.data[(2 * 6 + 4) * 3], 7);
  assert.equal(bordered.data[(2 * 6 + 5) * 3], 0);
});

test('faces found at once are returned without a second look', async () => {
  let calls = 0;
  const detector: FaceDetector = { detect: async () => (calls++, [{ box: { x: 0, y: 0, width: 2, height: 2 }, score: 0.9 }]) };
  assert.equal((await detectWithPaddedRetry(detector, image, options)).length, 1);
  assert.equal(calls, 1);
});

test('nothing found anywhere: both borders are tried, nothing returned', async () => {
  const seen: number[] = [];
  const detector: FaceDetector = { detect: async (img) => (seen.push(img.width), []) };
  assert.deepEqual(await detectWithPaddedRetry(detector, image, options), []);
  // Borders round(4 * 0.25) = 1 and round(4 * 0.625) = 3 pixels.
  assert.deepEqual(seen, [4, 6, 10]);
});

test('nothing found: the bordered photo is searched and boxes come back in photo pixels, clamped', async () => {
  const seen: number[] = [];
  const detector: FaceDetector = {
    detect: async (img) => {
      seen.push(img.width);
      // Border is round(4 * 0.25) = 1 pixel.
      return img.width === 4 ? [] : [{ box: { x: 0.5, y: 1.5, width: 3, height: 2 }, score: 0.8, landmarks: [[2, 2]] }, { box: { x: 0, y: 0, width: 1, height: 1 }, score: 0.6 }];
    },
  };
  const faces = await detectWithPaddedRetry(detector, image, options);
  assert.deepEqual(seen, [4, 6]);
  assert.deepEqual(faces, [{ box: { x: 0, y: 0.5, width: 2.5, height: 1.5 }, score: 0.8, landmarks: [[1, 1]] }]);
});

test('large photos are shrunk by a whole factor before the bordered retries, boxes scaled back', async () => {
  const big: RgbImage = { data: new Uint8Array(3000 * 40 * 3).fill(9), width: 3000, height: 40 };
  const seen: [number, number][] = [];
  const detector: FaceDetector = {
    detect: async (img) => {
      seen.push([img.width, img.height]);
      // Factor ceil(3000 / 1024) = 3: 1000 x 13, border round(1000 * 0.25) = 250.
      return seen.length === 2 ? [{ box: { x: 260, y: 252, width: 10, height: 5 }, score: 0.7 }] : [];
    },
  };
  const faces = await detectWithPaddedRetry(detector, big, options);
  assert.deepEqual(seen, [[3000, 40], [1500, 513]]);
  assert.equal(faces.length, 1);
  const { x, y, width, height } = faces[0]!.box;
  assert.deepEqual([x, width], [30, 30]);
  assert.ok(Math.abs(y - 2 * (40 / 13)) < 1e-9 && Math.abs(height - 5 * (40 / 13)) < 1e-9);
});

test('shrinking averages each block', () => {
  const img: RgbImage = { data: Uint8Array.from([0, 0, 0, 10, 10, 10, 20, 20, 20, 30, 30, 30]), width: 2, height: 2 };
  assert.deepEqual([...shrinkByFactor(img, 2).data], [15, 15, 15]);
});
