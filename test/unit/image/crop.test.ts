import { test } from 'node:test';
import assert from 'node:assert/strict';
import { faceRegion, photoSquareRegion, squareLayout, writeMirrored, writeSquareCrop } from '../../../src/image/crop.js';
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

test('photoSquareRegion: a square of the box\'s longer side times the margin, centred on the box', () => {
  const square = (x: number, y: number, side: number) => ({ region: { x, y, width: side, height: side }, layout: { side, padLeft: 0, padTop: 0 } });
  const cases = [
    // A portrait box widens to its height around its centre (x 25).
    { box: { x: 10, y: 20, width: 30, height: 40 }, margin: 1, expected: square(5, 20, 40) },
    // A landscape box grows rows; the start rounds (100.4 -> 100, 40.5 -> 41).
    { box: { x: 100.4, y: 50, width: 60, height: 41 }, margin: 1, expected: square(100, 41, 60) },
    // A margin grows the square about the same centre (side 50 * 1.1 = 55, centre 125 -> start 97.5 -> 98).
    { box: { x: 100, y: 100, width: 50, height: 50 }, margin: 1.1, expected: square(98, 98, 55) },
  ];
  for (const { box, margin, expected } of cases) {
    for (const border of ['shift', 'black'] as const) assert.deepEqual(photoSquareRegion(box, 640, 480, margin, border), expected, `${border} ${JSON.stringify(box)}`);
  }
});

test('photoSquareRegion at the border, shift: moved inside the photo, black only where the photo is too small', () => {
  // Crossing the left and bottom borders: moved right and up, same side, no padding.
  assert.deepEqual(photoSquareRegion({ x: 0, y: 400, width: 40, height: 80 }, 640, 480, 1, 'shift'), { region: { x: 0, y: 400, width: 80, height: 80 }, layout: { side: 80, padLeft: 0, padTop: 0 } });
  assert.deepEqual(photoSquareRegion({ x: 600, y: 0, width: 40, height: 60 }, 640, 480, 1.5, 'shift'), { region: { x: 550, y: 0, width: 90, height: 90 }, layout: { side: 90, padLeft: 0, padTop: 0 } });
  // A tall face in a narrow photo: all columns, black split on both sides (30: 15 and 15).
  assert.deepEqual(photoSquareRegion({ x: 5, y: 10, width: 40, height: 80 }, 50, 200, 1, 'shift'), { region: { x: 0, y: 10, width: 50, height: 80 }, layout: { side: 80, padLeft: 15, padTop: 0 } });
  // A box filling a tight crop with a margin: the whole photo, the square keeps its side (black all round).
  assert.deepEqual(photoSquareRegion({ x: 0, y: 0, width: 100, height: 100 }, 100, 100, 1.2, 'shift'), { region: { x: 0, y: 0, width: 100, height: 100 }, layout: { side: 120, padLeft: 10, padTop: 10 } });
});

test('photoSquareRegion at the border, black: centred on the box, black beyond the photo on the side it crosses', () => {
  // Centre (20, 440), side 80: columns -20..59 and rows 400..479; 20 black columns on the left.
  assert.deepEqual(photoSquareRegion({ x: 0, y: 400, width: 40, height: 80 }, 640, 480, 1, 'black'), { region: { x: 0, y: 400, width: 60, height: 80 }, layout: { side: 80, padLeft: 20, padTop: 0 } });
  // Centre (620, 30), side 90: columns 575..664 (25 black on the right), rows -15..74 (15 black above).
  assert.deepEqual(photoSquareRegion({ x: 600, y: 0, width: 40, height: 60 }, 640, 480, 1.5, 'black'), { region: { x: 575, y: 0, width: 65, height: 75 }, layout: { side: 90, padLeft: 0, padTop: 15 } });
  // The tight crop with a margin: the same as shift there (the photo is smaller than the square both ways).
  assert.deepEqual(photoSquareRegion({ x: 0, y: 0, width: 100, height: 100 }, 100, 100, 1.2, 'black'), { region: { x: 0, y: 0, width: 100, height: 100 }, layout: { side: 120, padLeft: 10, padTop: 10 } });
});

test('a photo square at the border reads photo pixels, and black only where the layout says', () => {
  const image = gradient(6, 4);
  // A box in the last column: its 2-pixel square (centred, it would start at x 5) moves left to end at the photo's edge.
  const out = new Float32Array(2 * 2 * 3);
  const shifted = photoSquareRegion({ x: 5, y: 1, width: 1, height: 2 }, 6, 4, 1, 'shift');
  assert.deepEqual(shifted.region, { x: 4, y: 1, width: 2, height: 2 });
  writeSquareCrop(image, shifted.region, 2, out, 0, true, shifted.layout);
  assert.deepEqual([...out], [4, 1, 100, 5, 1, 100, 4, 2, 100, 5, 2, 100]);
  // With a black border the same square keeps the box's column on the left and black on the right.
  const kept = photoSquareRegion({ x: 5, y: 1, width: 1, height: 2 }, 6, 4, 1, 'black');
  assert.deepEqual(kept, { region: { x: 5, y: 1, width: 1, height: 2 }, layout: { side: 2, padLeft: 0, padTop: 0 } });
  writeSquareCrop(image, kept.region, 2, out, 0, true, kept.layout);
  assert.deepEqual([...out], [5, 1, 100, 0, 0, 0, 5, 2, 100, 0, 0, 0]);
  // A 6-pixel square in a 4-row photo: one black row above, one below, at the crop's own size.
  const tall = photoSquareRegion({ x: 0, y: 0, width: 6, height: 4 }, 6, 4, 1, 'shift');
  const big = new Float32Array(6 * 6 * 3).fill(7);
  writeSquareCrop(image, tall.region, 6, big, 0, true, tall.layout);
  const row = (r: number) => [...big.subarray(r * 18, r * 18 + 18)];
  assert.deepEqual(row(0), new Array(18).fill(0));
  assert.deepEqual(row(1).slice(0, 6), [0, 0, 100, 1, 0, 100]);
  assert.deepEqual(row(4).slice(15, 18), [5, 3, 100]);
  assert.deepEqual(row(5), new Array(18).fill(0));
});

test('writeMirrored reverses the columns of a crop into another slot, rows and channels kept', () => {
  const size = 3;
  const length = size * size * 3;
  const data = new Float32Array(2 + 2 * length);
  for (let i = 0; i < length; i++) data[2 + i] = i;
  writeMirrored(data, 2, 2 + length, size);
  const pixel = (slot: number, row: number, col: number) => [...data.subarray(2 + slot * length + (row * size + col) * 3, 2 + slot * length + (row * size + col) * 3 + 3)];
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) assert.deepEqual(pixel(1, row, col), pixel(0, row, size - 1 - col), `row ${row} col ${col}`);
  }
  assert.deepEqual([...data.subarray(0, 2)], [0, 0], 'writes nothing before its slots');
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

/** TF's legacy bilinear written the plain way (four guarded taps per value): what writeSquareCrop must equal bit for bit. */
function fourTapReference(image: RgbImage, region: { x: number; y: number; width: number; height: number }, size: number, layout: { side: number; padLeft: number; padTop: number }): Float32Array {
  const out = new Float32Array(size * size * 3);
  const ratio = layout.side / size;
  const pixel = (squareRow: number, squareCol: number, ch: number) => {
    const row = squareRow - layout.padTop;
    const col = squareCol - layout.padLeft;
    if (row < 0 || row >= region.height || col < 0 || col >= region.width) return 0;
    return image.data[((region.y + row) * image.width + region.x + col) * 3 + ch]!;
  };
  for (let r = 0; r < size; r++) {
    const sy = ratio * r;
    const y0 = Math.floor(sy);
    const y1 = Math.min(layout.side - 1, Math.ceil(sy));
    for (let c = 0; c < size; c++) {
      const sx = ratio * c;
      const x0 = Math.floor(sx);
      const x1 = Math.min(layout.side - 1, Math.ceil(sx));
      for (let ch = 0; ch < 3; ch++) {
        const upper = pixel(y0, x0, ch) + (pixel(y0, x1, ch) - pixel(y0, x0, ch)) * (sx - x0);
        const lower = pixel(y1, x0, ch) + (pixel(y1, x1, ch) - pixel(y1, x0, ch)) * (sx - x0);
        out[(r * size + c) * 3 + ch] = upper + (lower - upper) * (sy - y0);
      }
    }
  }
  return out;
}

test('writeSquareCrop equals the four-tap bilinear bit for bit (down, up, padded, centred, border-crossing squares)', () => {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const image: RgbImage = { data: Uint8Array.from({ length: 97 * 61 * 3 }, () => Math.floor(random() * 256)), width: 97, height: 61 };
  const cases: Array<{ region: { x: number; y: number; width: number; height: number }; size: number; centred: boolean; layout?: { side: number; padLeft: number; padTop: number } }> = [
    { region: { x: 0, y: 0, width: 97, height: 61 }, size: 64, centred: false },
    { region: { x: 0, y: 0, width: 97, height: 61 }, size: 150, centred: false },
    { region: { x: 10, y: 5, width: 33, height: 47 }, size: 112, centred: true },
    { region: { x: 50, y: 20, width: 41, height: 29 }, size: 23, centred: true },
    { region: { x: 3, y: 2, width: 17, height: 17 }, size: 17 + 5, centred: true },
    { region: { x: 0, y: 30, width: 35, height: 31 }, size: 48, centred: true, layout: { side: 40, padLeft: 5, padTop: 0 } },
  ];
  for (const { region, size, centred, layout } of cases) {
    const out = new Float32Array(size * size * 3 + 4).fill(-1);
    const used = writeSquareCrop(image, region, size, out, 4, centred, layout);
    const expected = fourTapReference(image, region, size, used);
    assert.deepEqual(out.subarray(4), expected, `region ${JSON.stringify(region)} -> ${size}`);
    assert.deepEqual([...out.subarray(0, 4)], [-1, -1, -1, -1], 'writes nothing before offset');
  }
});
