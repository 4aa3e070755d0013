/**
 * The affine face crops: the maps themselves, then against OpenCV (skipped without Debian's
 * python3-opencv): InsightFace's box crop as its face_align.transform composes it, the landmark
 * fit as cv2.estimateAffinePartial2D finds it, and the network input as cv2.dnn.blobFromImage makes it.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { warpAffineOpenCv, type Affine } from '../../../../src/image/opencv-warp.js';
import {
  ARCFACE_TEMPLATE_112,
  boxCropMatrix,
  fitSimilarity,
  landmarkCropMatrix,
  writeFaceInput,
  writeNetworkInput,
  type InputFormat,
} from '../../../../src/pipeline/attributes/face-affine-crop.js';
import type { Box, Point, RgbImage } from '../../../../src/types.js';
import { seededRandom } from '../../../fuzz/seeded-random.js';
import { openCvCrops } from '../../../helpers/opencv-crops.js';
import { openCvUnavailable } from '../../../helpers/opencv-dnn.js';
import { loadRgb, SAMPLE_PHOTOS } from '../../../helpers/opencv-fixtures.js';

const apply = (m: Affine, [x, y]: Point): Point => [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];

test('boxCropMatrix puts the box centre at the crop centre and its longer side across 1/margin of it', () => {
  const box: Box = { x: 100, y: 50, width: 80, height: 100 };
  const m = boxCropMatrix(box, [96, 96], 1.5, true);
  assert.deepEqual(apply(m, [140, 100]), [48, 48]);
  // The longer side (100 px, vertical) spans 96 / 1.5 = 64 crop pixels; the width the same scale.
  assert.ok(Math.abs(apply(m, [140, 150])[1] - apply(m, [140, 50])[1] - 64) < 1e-12);
  assert.equal(m[1], 0, 'no turn');
  const stretched = boxCropMatrix(box, [64, 32], 1, false);
  assert.deepEqual([apply(stretched, [100, 50]), apply(stretched, [180, 150])], [[0, 0], [64, 32]], 'the box fills a stretched crop exactly');
});

test('fitSimilarity recovers a known turn, scale and shift exactly, and fits noisy points by least squares', () => {
  const truth: Affine = [1.2 * Math.cos(0.3), -1.2 * Math.sin(0.3), 7, 1.2 * Math.sin(0.3), 1.2 * Math.cos(0.3), -4];
  const from: Point[] = [[10, 20], [50, 22], [30, 40], [15, 60], [45, 61]];
  const fitted = fitSimilarity(from, from.map((p) => apply(truth, p)));
  fitted.forEach((v, i) => assert.ok(Math.abs(v - truth[i]!) < 1e-9, `coefficient ${i}: ${v} vs ${truth[i]}`));
  // With noise, moving any coefficient away from the fit raises the squared error.
  const to = from.map((p, i): Point => { const [x, y] = apply(truth, p); return [x + (i % 2 ? 0.5 : -0.3), y + (i % 3 ? -0.4 : 0.2)]; });
  const best = fitSimilarity(from, to);
  const error = (m: Affine) => from.reduce((sum, p, i) => { const [x, y] = apply(m, p); return sum + (x - to[i]![0]) ** 2 + (y - to[i]![1]) ** 2; }, 0);
  for (const [da, db] of [[1e-4, 0], [-1e-4, 0], [0, 1e-4], [0, -1e-4]] as const) {
    const nudged: Affine = [best[0] + da, best[1] - db, best[2], best[3] + db, best[4] + da, best[5]];
    assert.ok(error(nudged) > error(best));
  }
  assert.throws(() => fitSimilarity([[1, 1], [1, 1]], [[0, 0], [1, 1]]), /not all the same/);
});

test('landmarkCropMatrix maps the template onto itself at 112 and margin 1, and draws it in with a margin', () => {
  const m = landmarkCropMatrix(ARCFACE_TEMPLATE_112, 112, 1);
  ARCFACE_TEMPLATE_112.forEach((p) => apply(m, p).forEach((v, i) => assert.ok(Math.abs(v - p[i]!) < 1e-9)));
  const wide = landmarkCropMatrix(ARCFACE_TEMPLATE_112, 224, 2);
  // Twice the side and twice the margin: the template keeps its size, centred in the larger crop.
  ARCFACE_TEMPLATE_112.forEach((p) => apply(wide, p).forEach((v, i) => assert.ok(Math.abs(v - (p[i]! + 56)) < 1e-9)));
});

test('writeNetworkInput orders planes and colours and scales each channel', () => {
  const crop = Uint8Array.of(10, 20, 30, 40, 50, 60); // two RGB pixels
  const format = (layout: InputFormat['layout'], channels: InputFormat['channels']): InputFormat => ({ layout, channels, mean: [1, 2, 3], scale: [1, 0.5, 0.25] });
  const run = (f: InputFormat) => { const out = new Float32Array(6); writeNetworkInput(crop, 2, 1, f, out, 0); return [...out]; };
  assert.deepEqual(run(format('nchw', 'rgb')), [9, 39, 9, 24, 6.75, 14.25]);
  assert.deepEqual(run(format('nhwc', 'bgr')), [29, 9, 1.75, 59, 24, 9.25]);
});

const skip = openCvUnavailable();

describe('the crops against OpenCV', { skip }, () => {
  let photo: RgbImage;
  before(async () => {
    photo = await loadRgb(SAMPLE_PHOTOS[1]!);
  });

  test("InsightFace's box crop: the same matrix and bytes as face_align.transform + cv2.warpAffine, the same input as blobFromImage", () => {
    const random = seededRandom(96);
    const boxes = Array.from({ length: 12 }, (): Box => {
      const width = 20 + random.next() * 200;
      // Some boxes reach past the photo's edges: the crop is black there.
      return { x: random.next() * photo.width - width / 3, y: random.next() * photo.height - width / 3, width, height: width * (0.8 + random.next() * 0.6) };
    });
    const blob = { mean: 127.5, scale: 1 / 128, swapRB: true };
    const reference = openCvCrops(photo, boxes.map((b) => ({ box: [b.x, b.y, b.x + b.width, b.y + b.height], margin: 1.5, size: [96, 96], blob })));
    const format: InputFormat = { layout: 'nchw', channels: 'rgb', mean: [127.5, 127.5, 127.5], scale: [1 / 128, 1 / 128, 1 / 128] };
    boxes.forEach((box, i) => {
      const theirs = reference.runs[i]!;
      const ours = boxCropMatrix(box, [96, 96], 1.5, true);
      ours.forEach((v, k) => assert.ok(Math.abs(v - theirs.matrix[k]!) <= 1e-12 * Math.max(1, Math.abs(v)), `box ${i} coefficient ${k}: ${v} vs ${theirs.matrix[k]}`));
      assert.deepEqual(warpAffineOpenCv(photo, ours, 96, 96), theirs.crop, `box ${i}: the crop's bytes`);
      const input = new Float32Array(3 * 96 * 96);
      writeFaceInput(photo, ours, [96, 96], format, input, 0);
      let worst = 0;
      input.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - theirs.blob![k]!))));
      assert.ok(worst <= 1e-6, `box ${i}: network input differs from blobFromImage by up to ${worst}`);
    });
  });

  test('the landmark fit matches cv2.estimateAffinePartial2D within 1/500 pixel, and the crop matches its warp', () => {
    const random = seededRandom(5);
    const faces = Array.from({ length: 8 }, () => {
      // A template face turned, scaled and moved into the photo, each point jittered by a few pixels.
      const angle = (random.next() - 0.5) * 0.8;
      const scale = 0.8 + random.next() * 2;
      const [dx, dy] = [random.next() * (photo.width - 300), random.next() * (photo.height - 300)];
      return ARCFACE_TEMPLATE_112.map(([x, y]): Point => [
        dx + scale * (x * Math.cos(angle) - y * Math.sin(angle)) + (random.next() - 0.5) * 6,
        dy + scale * (x * Math.sin(angle) + y * Math.cos(angle)) + (random.next() - 0.5) * 6,
      ]);
    });
    const side = 112;
    const margin = 1.25;
    const ours = faces.map((landmarks) => landmarkCropMatrix(landmarks, side, margin));
    const targets = ARCFACE_TEMPLATE_112.map(([x, y]): Point => [56 + (x - 56) / margin, 56 + (y - 56) / margin]);
    const reference = openCvCrops(photo, faces.map((landmarks) => ({ fit: { from: landmarks, to: targets }, size: [side, side] as [number, number] })));
    faces.forEach((_, i) => {
      const theirs = reference.runs[i]!;
      // OpenCV fits float32 points iteratively: the two maps put each landmark within 1/500 crop pixel of each other.
      faces[i]!.forEach((p) => {
        const [ox, oy] = apply(ours[i]!, p);
        const [tx, ty] = apply(theirs.matrix as unknown as Affine, p);
        assert.ok(Math.hypot(ox - tx, oy - ty) < 2e-3, `face ${i}: landmark ${p} goes to (${ox}, ${oy}) here, (${tx}, ${ty}) in OpenCV`);
      });
      assert.deepEqual(warpAffineOpenCv(photo, theirs.matrix as unknown as Affine, side, side), theirs.crop, `face ${i}: the same bytes from OpenCV's matrix`);
      // From our own matrix a handful of pixels may land on the other side of a 1/32 px step.
      const crop = warpAffineOpenCv(photo, ours[i]!, side, side);
      let total = 0;
      crop.forEach((v, k) => (total += Math.abs(v - theirs.crop[k]!)));
      assert.ok(total / crop.length < 0.05, `face ${i}: mean difference ${total / crop.length} grey levels`);
    });
  });
});
