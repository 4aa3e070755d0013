/**
 * The warp against Debian's OpenCV (`cv2.warpAffine`, skipped without it): the same bytes for
 * zooms in and out, turns, and maps that reach past the photo's edges.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { invertAffine, warpAffineOpenCv, type Affine } from '../../../src/image/opencv-warp.js';
import type { RgbImage } from '../../../src/types.js';
import { seededRandom } from '../../fuzz/seeded-random.js';
import { openCvCrops } from '../../helpers/opencv-crops.js';
import { openCvUnavailable } from '../../helpers/opencv-dnn.js';
import { loadRgb, SAMPLE_PHOTOS } from '../../helpers/opencv-fixtures.js';

test('invertAffine undoes the map', () => {
  const m: Affine = [0.8, -0.3, 12.5, 0.3, 0.8, -7.25];
  const inv = invertAffine(m);
  for (const [x, y] of [[0, 0], [10, 20], [-5.5, 33]] as const) {
    const u = m[0] * x + m[1] * y + m[2];
    const v = m[3] * x + m[4] * y + m[5];
    assert.ok(Math.abs(inv[0] * u + inv[1] * v + inv[2] - x) < 1e-12 && Math.abs(inv[3] * u + inv[4] * v + inv[5] - y) < 1e-12);
  }
});

test('a map that leaves the photo gives black', () => {
  const image: RgbImage = { data: new Uint8Array(4 * 4 * 3).fill(200), width: 4, height: 4 };
  const crop = warpAffineOpenCv(image, [1, 0, -100, 0, 1, -100], 3, 3);
  assert.ok(crop.every((v) => v === 0));
  const same = warpAffineOpenCv(image, [1, 0, 0, 0, 1, 0], 3, 3);
  assert.ok(same.every((v) => v === 200), 'the identity copies');
});

const skip = openCvUnavailable();

describe('warpAffineOpenCv against cv2.warpAffine', { skip }, () => {
  let photo: RgbImage;
  before(async () => {
    photo = await loadRgb(SAMPLE_PHOTOS[0]!);
  });

  test('gives the same bytes for random zooms, turns and shifts', () => {
    const random = seededRandom(14);
    const runs = Array.from({ length: 24 }, (_, i) => {
      const scale = 0.05 + random.next() * (i % 3 === 0 ? 3 : 0.9);
      const angle = (random.next() - 0.5) * (i % 2 === 0 ? 0 : 1.2);
      const size: [number, number] = [random.int(16, 120), random.int(16, 120)];
      // Centre a random photo point (sometimes outside it) in the crop.
      const cx = random.next() * photo.width * 1.2 - photo.width * 0.1;
      const cy = random.next() * photo.height * 1.2 - photo.height * 0.1;
      const a = scale * Math.cos(angle);
      const b = scale * Math.sin(angle);
      const matrix: Affine = [a, -b, size[0] / 2 - (a * cx - b * cy), b, a, size[1] / 2 - (b * cx + a * cy)];
      return { matrix, size };
    });
    const reference = openCvCrops(photo, runs);
    runs.forEach((run, i) => {
      const ours = warpAffineOpenCv(photo, run.matrix, run.size[0], run.size[1]);
      const theirs = reference.runs[i]!.crop;
      let differing = 0;
      for (let k = 0; k < ours.length; k++) if (ours[k] !== theirs[k]) differing++;
      assert.equal(differing, 0, `run ${i} (${JSON.stringify(run)}): ${differing} of ${ours.length} bytes differ from OpenCV ${reference.version}`);
    });
  });
});
