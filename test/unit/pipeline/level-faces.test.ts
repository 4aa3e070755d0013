import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boxToTurned, eyeRoll, levelBy, levelFace, levelledStrip, toTurned, turnBack, QUARTERS } from '../../../src/pipeline/level-faces.js';
import type { Point, RgbImage } from '../../../src/types.js';

/** A 5x3 image whose every pixel is distinct: (x, y, x * 10 + y). */
function numbered(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([x, y, x * 10 + y], (y * width + x) * 3);
  return { data, width, height };
}

/** The same image turned clockwise by `turn` (what a camera without an EXIF tag writes). */
function turnedClockwise(image: RgbImage, turn: number): RgbImage {
  let out = image;
  for (let k = 0; k < turn / 90; k++) {
    const { width: w, height: h, data } = out;
    const next = new Uint8Array(data.length);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) next.set(data.subarray((y * w + x) * 3, (y * w + x) * 3 + 3), (x * h + (h - 1 - y)) * 3);
    out = { data: next, width: h, height: w };
  }
  return out;
}

test('turnBack undoes a clockwise quarter, half and three-quarter turn exactly', () => {
  const image = numbered(5, 3);
  for (const turn of QUARTERS) {
    const back = turnBack(turnedClockwise(image, turn), turn);
    assert.deepEqual([back.width, back.height], [5, 3], `turn ${turn}`);
    assert.deepEqual(back.data, image.data, `turn ${turn}`);
  }
});

test('toTurned and boxToTurned put upright coordinates on the turned photo', () => {
  // Pixel (1, 0) of the 5x3 image, centre (1.5, 0.5), turned clockwise 90: the 3x5 image's pixel (2, 1), centre (2.5, 1.5).
  assert.deepEqual(toTurned([1.5, 0.5], 90, 3, 5), [2.5, 1.5]);
  assert.deepEqual(toTurned([1.5, 0.5], 180, 5, 3), [3.5, 2.5]);
  assert.deepEqual(toTurned([1.5, 0.5], 270, 3, 5), [0.5, 3.5]);
  assert.deepEqual(boxToTurned({ x: 1, y: 0, width: 2, height: 1 }, 90, 3, 5), { x: 2, y: 1, width: 1, height: 2 });
});

test('eyeRoll reads the line between the eyes; levelBy keeps small rolls of an upright photo as they are', () => {
  const eyes = (left: Point, right: Point) => Object.assign(new Array<Point>(68).fill([0, 0]), { 36: left, 37: left, 38: left, 39: left, 40: left, 41: left, 42: right, 43: right, 44: right, 45: right, 46: right, 47: right });
  assert.equal(eyeRoll(eyes([0, 0], [10, 0])), 0);
  assert.ok(Math.abs(eyeRoll(eyes([0, 0], [10, 10])) - 45) < 1e-9);
  assert.ok(Math.abs(eyeRoll(eyes([0, 0], [0, 10])) - 90) < 1e-9);
  assert.equal(levelBy(10, 0), 0);
  assert.equal(levelBy(-30, 0), -30);
  assert.equal(levelBy(97, 90), 90);
  assert.equal(Math.abs(levelBy(-170, 180)), 180);
});

test('levelFace turned a quarter moves pixels exactly and maps its points back to the photo', () => {
  const image = numbered(40, 30);
  const levelled = levelFace(image, { box: { x: 10, y: 10, width: 8, height: 6 }, score: 1 }, 90);
  // The face's box turns with it: 6 wide, 8 high, centred in the patch.
  assert.deepEqual([levelled.face.box.width, levelled.face.box.height], [6, 8]);
  const side = levelled.image.width;
  for (const [px, py] of [[side / 2 - 2, side / 2 + 1], [side / 2 + 1, side / 2 - 3]] as Point[]) {
    // warpAffine's convention: pixel indices map to pixel indices, whole to whole at a quarter turn.
    const [x, y] = levelled.toPhoto([px, py]).map((v) => Math.round(v * 1e9) / 1e9) as Point;
    assert.ok(Number.isInteger(x) && Number.isInteger(y), `${x}, ${y}`);
    const at = (py * side + px) * 3;
    assert.deepEqual([...levelled.image.data.subarray(at, at + 3)], [x, y, x * 10 + y]);
  }
});

test('levelledStrip puts patches side by side unchanged and maps each face and point through its own patch', () => {
  const image = numbered(60, 40);
  const small = levelFace(image, { box: { x: 10, y: 10, width: 8, height: 6 }, score: 0.9, landmarks: [[12, 12], [15, 12]] }, 90);
  const large = levelFace(image, { box: { x: 30, y: 12, width: 12, height: 14 }, score: 0.8 }, -30);
  const strip = levelledStrip([small, large]);
  assert.equal(strip.image.width, small.image.width + large.image.width);
  assert.equal(strip.image.height, Math.max(small.image.height, large.image.height));
  const pixel = (img: RgbImage, x: number, y: number) => [...img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3)];
  // Every pixel of each patch at its place; black below the shorter one.
  for (let y = 0; y < strip.image.height; y++) {
    for (let x = 0; x < strip.image.width; x++) {
      const [patch, px] = x < small.image.width ? [small, x] : [large, x - small.image.width];
      assert.deepEqual(pixel(strip.image, x, y), y < patch.image.height ? pixel(patch.image, px, y) : [0, 0, 0], `${x}, ${y}`);
    }
  }
  // Boxes and landmarks moved with their patch; points map back through the patch they fall in.
  assert.deepEqual(strip.faces[0], small.face);
  assert.deepEqual(strip.faces[1]!.box, { ...large.face.box, x: large.face.box.x + small.image.width });
  assert.equal(strip.faces[1]!.score, 0.8);
  const centre = (box: { x: number; y: number; width: number; height: number }): Point => [box.x + box.width / 2, box.y + box.height / 2];
  for (const [k, patch] of [small, large].entries()) {
    const [x, y] = strip.toPhoto(centre(strip.faces[k]!.box));
    const [ex, ey] = patch.toPhoto(centre(patch.face.box));
    assert.ok(Math.abs(x - ex) < 1e-9 && Math.abs(y - ey) < 1e-9, `face ${k}: ${x}, ${y} against ${ex}, ${ey}`);
  }
  assert.deepEqual(strip.faces[0]!.landmarks!.map(strip.toPhoto).map((p) => p.map((v) => Math.round(v * 1e9) / 1e9)), [[12, 12], [15, 12]]);
});
