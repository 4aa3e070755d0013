import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeMirrored } from '../../../../src/image/crop.js';
import { pointsFromSquare, squareAround, writeSquareSamples } from '../../../../src/pipeline/landmarks/mirror-exact-crop.js';
import { MIRROR_68, renumberMirrored } from '../../../../src/pipeline/landmarks/mirror-pairs-68.js';
import type { Point, RgbImage } from '../../../../src/types.js';

/** A photo of pseudo-random pixels, and its mirror image. */
function photoAndMirror(width: number, height: number): [RgbImage, RgbImage] {
  const data = new Uint8Array(width * height * 3);
  let seed = 7;
  for (let i = 0; i < data.length; i++) data[i] = (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256;
  const flopped = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) flopped[(y * width + (width - 1 - x)) * 3 + c] = data[(y * width + x) * 3 + c]!;
  return [
    { data, width, height },
    { data: flopped, width, height },
  ];
}

test('squareAround centres a square of margin x the longer extent on the points', () => {
  assert.deepEqual(squareAround([[10, 20], [50, 100], [30, 40]], 1.5), { cx: 30, cy: 60, side: 120 });
});

test('the crop of a mirrored photo at the mirrored square is the crop mirrored, sample for sample', () => {
  const [photo, mirror] = photoAndMirror(97, 61);
  const size = 16;
  // Off-grid centres and sides, one square reaching past the photo's edges (black there).
  for (const square of [{ cx: 40.3, cy: 30.8, side: 37.7 }, { cx: 5.2, cy: 55.1, side: 30 }]) {
    const crops = new Float32Array(3 * size * size * 3);
    writeSquareSamples(photo, square, size, crops, 0);
    writeMirrored(crops, 0, size * size * 3, size);
    writeSquareSamples(mirror, { ...square, cx: photo.width - 1 - square.cx }, size, crops, 2 * size * size * 3);
    const mirrored = crops.subarray(size * size * 3, 2 * size * size * 3);
    const fromMirror = crops.subarray(2 * size * size * 3);
    for (let i = 0; i < mirrored.length; i++) assert.ok(Math.abs(mirrored[i]! - fromMirror[i]!) < 1e-9, `sample ${i}: ${mirrored[i]} vs ${fromMirror[i]}`);
  }
});

test('a square of the crop size on whole-pixel centres copies the pixels', () => {
  const [photo] = photoAndMirror(20, 20);
  const out = new Float32Array(4 * 4 * 3);
  // Pixels 5..8 each way: the centre is 6.5.
  writeSquareSamples(photo, { cx: 6.5, cy: 6.5, side: 4 }, 4, out, 0);
  for (let v = 0; v < 4; v++) for (let u = 0; u < 4; u++) for (let c = 0; c < 3; c++) assert.equal(out[(v * 4 + u) * 3 + c], photo.data[((5 + v) * 20 + 5 + u) * 3 + c]);
});

test('pointsFromSquare maps the crop back to the photo, and a mirrored crop\'s points back to the same place', () => {
  const size = 112;
  const square = { cx: 300, cy: 200, side: 224 };
  const raw = new Float32Array(2 * 136);
  raw[0] = 0.25; // point 0 of the plain crop at crop pixel (28, 56)
  raw[1] = 0.5;
  raw[136] = (size - 1 - 28) / size; // the same spot on the mirrored crop
  raw[137] = 0.5;
  const [plain] = pointsFromSquare(raw, 0, square, size, false);
  const [fromMirror] = pointsFromSquare(raw, 136, square, size, true);
  assert.deepEqual(plain, [300 + (28 - 55.5) * 2, 200 + (56 - 55.5) * 2]);
  // The fractions are float32: within 1e-4 pixel.
  assert.ok(Math.abs(fromMirror![0] - plain![0]) < 1e-4 && Math.abs(fromMirror![1] - plain![1]) < 1e-4, `${fromMirror} vs ${plain}`);
});

test('MIRROR_68 swaps each point with its mirror image once, and keeps the centre line', () => {
  assert.deepEqual([...MIRROR_68].sort((a, b) => a - b), Array.from({ length: 68 }, (_, i) => i));
  MIRROR_68.forEach((j, i) => assert.equal(MIRROR_68[j], i, `${i} -> ${j} -> ${MIRROR_68[j]}`));
  for (const middle of [8, 27, 28, 29, 30, 33, 51, 57, 62, 66]) assert.equal(MIRROR_68[middle], middle);
  // Eyes to eyes, brows to brows, mouth corners to mouth corners.
  for (let i = 36; i <= 41; i++) assert.ok(MIRROR_68[i]! >= 42 && MIRROR_68[i]! <= 47);
  for (let i = 17; i <= 21; i++) assert.ok(MIRROR_68[i]! >= 22 && MIRROR_68[i]! <= 26);
  assert.equal(MIRROR_68[48], 54);
});

test('renumberMirrored makes a symmetric face\'s mirrored points its own', () => {
  // A face symmetric about x = 0: point i at (x_i, y_i), its pair at (-x_i, y_i).
  const face: Point[] = Array.from({ length: 68 }, (_, i): Point => [0, i]);
  MIRROR_68.forEach((j, i) => {
    if (j !== i) face[i] = [i - j, Math.min(i, j)];
  });
  const mirrored = face.map(([x, y]): Point => [x === 0 ? 0 : -x, y]);
  assert.deepEqual(renumberMirrored(mirrored), face);
});
