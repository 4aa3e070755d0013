import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { decodeImage, decodeRegion, reducedSide, REDUCED_DETAIL_SIDE } from '../../../src/image/decode.js';
import { FaceReadError, type ErrorCode } from '../../../src/errors.js';

const LIMITS = { maxPixels: 50_000_000, workingSide: 0 };
const solid = (width: number, height: number, channels: 3 | 4 = 3) =>
  sharp({ create: { width, height, channels, background: { r: 200, g: 100, b: 50, alpha: 0.5 } } });

async function assertRefused(bytes: Buffer, code: ErrorCode, message: RegExp, limits = LIMITS) {
  await assert.rejects(decodeImage(bytes, limits), (error: unknown) => {
    assert.ok(error instanceof FaceReadError, `expected a FaceReadError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, message);
    return true;
  });
}

test('refuses bad input with the right code', async () => {
  const jpeg = await solid(64, 64).jpeg().toBuffer();
  await assertRefused(Buffer.alloc(0), 'IMAGE_UNDECODABLE', /empty/);
  await assertRefused(Buffer.from('hello, not an image'), 'UNSUPPORTED_MEDIA_TYPE', /not an image FaceRead reads/);
  await assertRefused(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>'), 'UNSUPPORTED_MEDIA_TYPE', /svg are not accepted/);
  await assertRefused(jpeg.subarray(0, jpeg.length >> 1), 'IMAGE_UNDECODABLE', /cannot be decoded/);
  await assertRefused(await solid(100, 100).png().toBuffer(), 'IMAGE_TOO_MANY_PIXELS', /100x100 = 10000 pixels, more than the limit of 5000/, { maxPixels: 5000, workingSide: 0 });
});

test('decodes colour, grey, alpha, 16-bit and CMYK images to 8-bit RGB', async () => {
  const inputs = [
    await solid(30, 20).jpeg().toBuffer(),
    await solid(30, 20).greyscale().png().toBuffer(),
    await solid(30, 20, 4).png().toBuffer(),
    await solid(30, 20).png().toColourspace('rgb16').toBuffer(),
    await solid(30, 20).jpeg().toColourspace('cmyk').toBuffer(),
    await solid(30, 20).webp().toBuffer(),
    await solid(30, 20).tiff().toBuffer(),
    await solid(30, 20).gif().toBuffer(),
  ];
  for (const bytes of inputs) {
    const { image, original } = await decodeImage(bytes, LIMITS);
    assert.deepEqual(original, { width: 30, height: 20 });
    assert.equal(image.data.length, 30 * 20 * 3);
  }
});

test('applies EXIF orientation so coordinates are those of the upright image', async () => {
  const rotated = await solid(40, 20).jpeg().withMetadata({ orientation: 6 }).toBuffer();
  const { image, original } = await decodeImage(rotated, LIMITS);
  assert.deepEqual(original, { width: 20, height: 40 });
  assert.deepEqual([image.width, image.height], [20, 40]);
});

test('shrinks to the working side and reports the scale back to original pixels', async () => {
  const { image, original, scale } = await decodeImage(await solid(3000, 1000).jpeg().toBuffer(), { maxPixels: 5e7, workingSide: 1500 });
  assert.deepEqual([image.width, image.height], [1500, 500]);
  assert.deepEqual(original, { width: 3000, height: 1000 });
  assert.deepEqual(scale, { x: 2, y: 2 });
});

test('decodes a large JPEG reduced (shrink-on-load) and says so; PNGs and smaller JPEGs keep the working side', async () => {
  const options = { maxPixels: 5e7, workingSide: 2048, detectorSide: 512 };
  const large = await decodeImage(await solid(1920, 1280).jpeg().toBuffer(), options);
  assert.equal(large.reduced, true);
  assert.deepEqual([large.image.width, large.image.height], [640, 427]);
  assert.deepEqual(large.original, { width: 1920, height: 1280 });
  assert.deepEqual(large.scale, { x: 3, y: 1280 / 427 });
  const png = await decodeImage(await solid(1800, 1200).png().toBuffer(), options);
  assert.equal(png.reduced, false);
  assert.deepEqual([png.image.width, png.image.height], [1800, 1200]);
  // Under 3x the detector side sharp could not shrink on load: decoded in full, as before.
  const medium = await decodeImage(await solid(1400, 900).jpeg().toBuffer(), options);
  assert.equal(medium.reduced, false);
  assert.equal(medium.image.width, 1400);
});

test('the reduced side is the cheapest libjpeg scale that keeps the detail side, never under the detector side', () => {
  assert.equal(REDUCED_DETAIL_SIDE, 640);
  // 1/2 scale: the largest side sharp still loads at 1/2 is a third of the photo.
  assert.equal(reducedSide(1920, 512), 640);
  assert.equal(reducedSide(2400, 512), 800);
  // Between 3x and 3.75x the detail side, 1/2 scale gives less than 640 but at least the detector's side.
  assert.equal(reducedSide(1700, 512), 566);
  assert.equal(reducedSide(1536, 512), 512);
  // 12 MP phone photo: 1/4 scale (4032 / 5), not 1/2.
  assert.equal(reducedSide(4032, 512), 806);
  // 1/8 scale once a ninth of the photo keeps 640 px.
  assert.equal(reducedSide(6000, 512), 666);
  // A detector wider than the detail side sets the floor.
  assert.equal(reducedSide(4032, 1024), 1344);
});

test('decodeRegion gives the pixels of the upright photo, at the working resolution', async () => {
  // Left half red, right half blue, stored turned a quarter (EXIF 6): upright, the top is red.
  const halves = await sharp({ create: { width: 1600, height: 2000, channels: 3, background: { r: 255, g: 0, b: 0 } } })
    .composite([{ input: { create: { width: 800, height: 2000, channels: 3, background: { r: 0, g: 0, b: 255 } } }, left: 800, top: 0 }])
    .png()
    .toBuffer();
  const stored = await sharp(halves).rotate(-90).jpeg().withMetadata({ orientation: 6 }).toBuffer();
  const options = { maxPixels: 5e7, workingSide: 1000, detectorSide: 256 };
  const decoded = await decodeImage(stored, options);
  assert.deepEqual(decoded.original, { width: 1600, height: 2000 });
  assert.equal(decoded.reduced, true);
  const pixel = (image: { data: Uint8Array; width: number }, x: number, y: number) => [...image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3)];
  const red = await decodeRegion(stored, decoded, { x: 100, y: 600, width: 400, height: 200 }, options);
  assert.deepEqual([red.image.width, red.image.height], [200, 100], 'shrunk to the working side (2000 -> 1000)');
  assert.equal(red.scale, 2);
  const [r, , b] = pixel(red.image, 100, 50);
  assert.ok(r! > 200 && b! < 60, `left of the upright photo is red, got ${r},${b}`);
  const blue = await decodeRegion(stored, decoded, { x: 1200, y: 600, width: 400, height: 200 }, options);
  const [r2, , b2] = pixel(blue.image, 100, 50);
  assert.ok(b2! > 200 && r2! < 60, `right of the upright photo is blue, got ${r2},${b2}`);
});
