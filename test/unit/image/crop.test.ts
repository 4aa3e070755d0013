import { test } from 'node:test';
import assert from 'node:assert/strict';
import { faceRegion, squareLayout, writeSquareCrop } from '../../../src/image/crop.js';
import type { RgbImage } from '../../../src/types.js';

test('faceRegion clips to the image and floors each of x, y, width, height', () => {
  const cases = [
    { box: { x: 10.7, y: 20.2, width: 30.9, height: 40.5 }, expected: { x: 10, y: 20, width: 30, height: 40 } },
    { box: { x: -3.5, y: 10.7, width: 50.2, height: 60 }, expected: { x: 0, y: 10, width: 46, height: 60 } },
    { box: { x: 600, y: 450, width: 100, height: 100 }, expected: { x: 600, y: 450, width: 40, height: 30 } },
    { box: { x: 5, y: 5, width: 0.2, height: 0 }, expected: { x: 5, y: 5, width: 1, height: 1 } },
  ];
  for (const { box, expected } of cases) assert.deepEqual(faceRegion(box, 640, 480), expected, JSON.stringify(box));
});

test('squareLayout pads the short side, the larger half after the region when centred', () => {
  assert.deepEqual(squareLayout(40, 25, true), { side: 40, padLeft: 0, padTop: 7 });
  assert.deepEqual(squareLayout(25, 40, true), { side: 40, padLeft: 7, padTop: 0 });
  assert.deepEqual(squareLayout(40, 25, false), { side: 40, padLeft: 0, padTop: 0 });
  assert.deepEqual(squareLayout(30, 30, true), { side: 30, padLeft: 0, padTop: 0 });
});

/** A width x height image whose pixel (x, y) is (x, y, 100). */
function gradient(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set([x, y, 100], (y * width + x) * 3);
  }
  return { data, width, height };
}

test('writeSquareCrop copies a square region unchanged at its own size', () => {
  const image = gradient(10, 10);
  const out = new Float32Array(4 * 4 * 3 + 2);
  writeSquareCrop(image, { x: 3, y: 5, width: 4, height: 4 }, 4, out, 2, true);
  assert.deepEqual([...out.subarray(2, 5)], [3, 5, 100]);
  assert.deepEqual([...out.subarray(2 + 15 * 3, 2 + 16 * 3)], [6, 8, 100]);
  assert.deepEqual([...out.subarray(0, 2)], [0, 0], 'writes nothing before offset');
});

test('writeSquareCrop pads with black (centred: 1 row before, 2 after) and halves with legacy bilinear', () => {
  const image = gradient(8, 8);
  // A 4x1 region padded to 4x4: rows 0 and 2..3 are black, row 1 is the region.
  const out = new Float32Array(4 * 4 * 3);
  const layout = writeSquareCrop(image, { x: 2, y: 6, width: 4, height: 1 }, 4, out, 0, true);
  assert.deepEqual(layout, { side: 4, padLeft: 0, padTop: 1 });
  const row = (r: number) => [...out.subarray(r * 12, r * 12 + 12)];
  assert.deepEqual(row(0), new Array(12).fill(0));
  assert.deepEqual(row(1), [2, 6, 100, 3, 6, 100, 4, 6, 100, 5, 6, 100]);
  assert.deepEqual(row(3), new Array(12).fill(0));
  // Downscaling 4 -> 2 samples source pixels 0 and 2 exactly (no half-pixel offset).
  const half = new Float32Array(2 * 2 * 3);
  writeSquareCrop(image, { x: 0, y: 0, width: 4, height: 4 }, 2, half, 0, true);
  assert.deepEqual([...half], [0, 0, 100, 2, 0, 100, 0, 2, 100, 2, 2, 100]);
  // Upscaling 2 -> 3 blends: source 2/3 of the way from pixel 0 to 1.
  const up = new Float32Array(3 * 3 * 3);
  writeSquareCrop(image, { x: 4, y: 4, width: 2, height: 2 }, 3, up, 0, true);
  assert.ok(Math.abs(up[3]! - (4 + 2 / 3)) < 1e-5, `got ${up[3]}`);
});

test('writeSquareCrop at the square\'s own size copies the pixels and zeroes the padding of a reused buffer', () => {
  const width = 7;
  const height = 4;
  const image = { data: Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 37) % 256), width, height };
  for (const centred of [false, true]) {
    const out = new Float32Array(2 + 7 * 7 * 3).fill(99);
    const layout = writeSquareCrop(image, { x: 0, y: 0, width, height }, 7, out, 2, centred);
    const padTop = centred ? 1 : 0; // 3 rows of padding: round(3 / 2) = 2 after, 1 before
    assert.deepEqual(layout, { side: 7, padLeft: 0, padTop });
    const expected = new Float32Array(2 + 7 * 7 * 3);
    expected.fill(99, 0, 2);
    for (let y = 0; y < height; y++) {
      for (let i = 0; i < width * 3; i++) expected[2 + (y + padTop) * 7 * 3 + i] = image.data[y * width * 3 + i]!;
    }
    assert.deepEqual(out, expected);
  }
});
