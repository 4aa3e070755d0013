import { test } from 'node:test';
import assert from 'node:assert/strict';
import { faceCropGeometry, writeFaceCrop } from '../../../../src/pipeline/attributes/face-crop-geometry.js';
import type { RgbImage } from '../../../../src/types.js';

/** A 4x4 image whose red channel is 10*x + y at pixel (x, y), green 0, blue 255. */
function gradient(): RgbImage {
  const data = new Uint8Array(4 * 4 * 3);
  for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) data.set([10 * x + y, 0, 255], (y * 4 + x) * 3);
  return { data, width: 4, height: 4 };
}

const red = (out: Float32Array, size: number) => Array.from({ length: size * size }, (_, i) => Math.round(out[i * 3]! * 100) / 100);

test('geometry: box centre, margin on the longer side, eye-line angle when aligning', () => {
  assert.deepEqual(faceCropGeometry({ box: { x: 10, y: 20, width: 100, height: 120 }, score: 1 }, 1.5, false), { centreX: 60, centreY: 80, side: 180, angle: 0 });
  const tilted = faceCropGeometry({ box: { x: 0, y: 0, width: 10, height: 10 }, score: 1, landmarks: [[0, 0], [10, 10]] }, 1, true);
  assert.ok(Math.abs(tilted.angle - Math.PI / 4) < 1e-12);
  assert.equal(faceCropGeometry({ box: { x: 0, y: 0, width: 10, height: 10 }, score: 1, landmarks: [[0, 0], [10, 10]] }, 1, false).angle, 0);
});

test('a crop the size of the image copies its pixels; mirrored, columns reverse', () => {
  const image = gradient();
  const geometry = { centreX: 2, centreY: 2, side: 4, angle: 0 };
  const out = new Float32Array(4 * 4 * 3);
  writeFaceCrop(image, geometry, 4, out, 0);
  assert.deepEqual(red(out, 4), [0, 10, 20, 30, 1, 11, 21, 31, 2, 12, 22, 32, 3, 13, 23, 33]);
  assert.equal(out[2], 255);
  writeFaceCrop(image, geometry, 4, out, 0, { mirror: true });
  assert.deepEqual(red(out, 4).slice(0, 4), [30, 20, 10, 0]);
});

test('outside the photo is black; scaling and grey conversion apply', () => {
  const image = gradient();
  const out = new Float32Array(8 * 8);
  writeFaceCrop(image, { centreX: 2, centreY: 2, side: 8, angle: 0 }, 8, out, 0, { channels: 1, scale: (v) => v / 255 });
  assert.equal(out[0], 0); // the corner is far outside the photo
  // Pixel (2, 2) of the image at crop (4, 4): grey of (22, 0, 255).
  const grey = (0.2989 * 22 + 0.114 * 255) / 255;
  assert.ok(Math.abs(out[4 * 8 + 4]! - grey) < 1e-6);
});

test('a quarter turn moves columns into rows', () => {
  const image = gradient();
  const out = new Float32Array(4 * 4 * 3);
  writeFaceCrop(image, { centreX: 2, centreY: 2, side: 4, angle: Math.PI / 2 }, 4, out, 0);
  // Turned by 90 degrees, the crop's first row runs down the image's last column (x = 3, y = 0..3).
  assert.deepEqual(red(out, 4).slice(0, 4), [30, 31, 32, 33]);
  assert.deepEqual(red(out, 4).slice(12, 16), [0, 1, 2, 3]);
});
