/**
 * The sRGB test of embedded ICC profiles, against libvips' own transform as the reference: for a
 * profile judged sRGB, decoding with and without the transform gives the same pixels (within
 * lcms's rounding); for every other profile the transform moves pixels, so skipping it would be
 * wrong. Profiles: sharp's built-in sRGB and Display P3, and where Debian's icc-profiles-free and
 * colord-data are installed, their ~35 RGB and grey profiles.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { isSrgbEquivalent } from '../../../src/image/icc-profile.js';
import { decodeImage } from '../../../src/image/decode.js';

const SIDE = 64;

/** A gradient through many colours, so that any profile's transform shows. */
function gradient(): Buffer {
  const pixels = Buffer.alloc(SIDE * SIDE * 3);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) pixels.set([x * 4, y * 4, ((x + y) * 2) & 255], (y * SIDE + x) * 3);
  }
  return pixels;
}

/** The gradient saved as PNG in `profile` (sharp converts to it and embeds it). */
const tagged = (profile: string) => sharp(gradient(), { raw: { width: SIDE, height: SIDE, channels: 3 } }).withIccProfile(profile).png().toBuffer();

const decoded = (bytes: Buffer, ignoreIcc: boolean) => sharp(bytes, { ignoreIcc }).toColourspace('srgb').removeAlpha().raw().toBuffer();

/** The largest difference between decoding with libvips' transform and without, and how many channel values moved by more than 1. */
async function transformEffect(bytes: Buffer) {
  const [transformed, plain] = await Promise.all([decoded(bytes, false), decoded(bytes, true)]);
  let largest = 0;
  let beyondOne = 0;
  for (let i = 0; i < transformed.length; i++) {
    const difference = Math.abs(transformed[i]! - plain[i]!);
    largest = Math.max(largest, difference);
    if (difference > 1) beyondOne++;
  }
  return { largest, beyondOneShare: beyondOne / transformed.length };
}

const DEBIAN_PROFILE_DIRS = ['/usr/share/color/icc', '/usr/share/color/icc/colord'];
const debianProfiles = DEBIAN_PROFILE_DIRS.filter((dir) => existsSync(dir)).flatMap((dir) =>
  readdirSync(dir)
    .filter((name) => /\.icc$/i.test(name))
    .map((name) => path.join(dir, name)),
);

test('a profile is judged sRGB exactly when libvips transform leaves the pixels as they are', async (t) => {
  const profiles = ['srgb', 'p3', ...debianProfiles];
  if (debianProfiles.length === 0) t.diagnostic("Debian's icc-profiles-free and colord-data are not installed: sharp's two profiles only");
  const judged = { srgb: [] as string[], other: [] as string[] };
  for (const profile of profiles) {
    const bytes = await tagged(profile).catch(() => undefined);
    const icc = bytes && (await sharp(bytes).metadata()).icc;
    if (!bytes || !icc) continue; // abstract and Lab profiles cannot tag an RGB image
    const { largest, beyondOneShare } = await transformEffect(bytes);
    if (isSrgbEquivalent(icc)) {
      judged.srgb.push(path.basename(profile));
      assert.ok(largest <= 2 && beyondOneShare < 0.02, `${profile} judged sRGB, but the transform moves pixels by up to ${largest}`);
    } else {
      judged.other.push(path.basename(profile));
      assert.ok(largest > 2, `${profile} judged not sRGB, yet the transform moves pixels by ${largest} at most`);
    }
  }
  assert.ok(judged.srgb.includes('srgb') && judged.other.includes('p3'), JSON.stringify(judged));
  if (debianProfiles.length > 0) {
    assert.ok(judged.srgb.includes('sRGB.icc'), `the Debian sRGB profiles: ${JSON.stringify(judged)}`);
    assert.ok(['AdobeRGB1998.icc', 'ProPhotoRGB.icc', 'Gray.icc'].every((name) => judged.other.includes(name)), JSON.stringify(judged));
  }
});

test('damaged or foreign profiles are not judged sRGB', async () => {
  const icc = (await sharp(await tagged('srgb')).metadata()).icc!;
  assert.equal(isSrgbEquivalent(icc), true);
  assert.equal(isSrgbEquivalent(icc.subarray(0, 100)), false, 'shorter than a header');
  assert.equal(isSrgbEquivalent(icc.subarray(0, 140)), false, 'the tag table runs past the end');
  const gammaOne = Buffer.from(icc);
  // Every tone curve made linear: same colorants, different curves.
  const view = new DataView(gammaOne.buffer, gammaOne.byteOffset, gammaOne.byteLength);
  for (let i = 0; i < view.getUint32(128); i++) {
    const at = 132 + i * 12;
    if (!/^[rgb]TRC$/.test(gammaOne.toString('latin1', at, at + 4))) continue;
    const offset = view.getUint32(at + 4);
    gammaOne.write('curv', offset, 'latin1');
    view.setUint32(offset + 8, 0);
  }
  assert.equal(isSrgbEquivalent(gammaOne), false, 'linear tone curves');
});

test('decoding skips the transform for sRGB profiles and keeps it for others', async () => {
  const limits = { maxPixels: 50_000_000, workingSide: 0 };
  const srgb = await decodeImage(await tagged('srgb'), limits);
  assert.equal(srgb.profileTransform, false);
  const p3Bytes = await tagged('p3');
  const p3 = await decodeImage(p3Bytes, limits);
  assert.equal(p3.profileTransform, true);
  // The P3 photo's pixels are those of libvips' transform, not the raw P3 values.
  assert.deepEqual(Buffer.from(p3.image.data), await decoded(p3Bytes, false));
  assert.notDeepEqual(Buffer.from(p3.image.data), await decoded(p3Bytes, true));
  const untagged = await decodeImage(await sharp(gradient(), { raw: { width: SIDE, height: SIDE, channels: 3 } }).png().toBuffer(), limits);
  assert.equal(untagged.profileTransform, false);
  assert.deepEqual(Buffer.from(untagged.image.data), gradient());
});
