import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { decodeImage } from '../../../src/image/decode.js';
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
