/**
 * Imported ONNX detectors against OpenCV running the same files its own way
 * (Debian's python3-opencv 4.6): YuNet 2022mar through cv2.FaceDetectorYN and
 * UltraFace RFB-320 through cv2.dnn with the authors' post-processing, on
 * face-api's demo photos (1920 px: shrunk to the cap first, and OpenCV given
 * FaceRead's shrunk pixels) and a spread of WIDER photos (run at their own
 * size, padded). Every face must be found by both, boxes and landmarks
 * within 1 px, scores within 1e-3.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ort from 'onnxruntime-node';
import { readFile } from 'node:fs/promises';
import { sessionOptions } from '../../../src/engine/session-options.js';
import { createUltrafaceDetector, ULTRAFACE_NMS_IOU } from '../../../src/pipeline/detectors/ultraface.js';
import { prepareUltrafaceModel } from '../../../src/pipeline/detectors/ultraface-import.js';
import { YUNET_NMS_IOU, YUNET_TOP_K } from '../../../src/pipeline/detectors/yunet-decode.js';
import { yunetDetector, yunetPixels, type YunetDetector } from '../../../src/pipeline/detectors/yunet.js';
import type { Detection, RgbImage } from '../../../src/types.js';
import { detectWithOpenCv, type OpenCvFace } from '../../helpers/opencv-faces.js';
import { loadRgb } from '../../helpers/opencv-fixtures.js';
import { clampToImage, cornerDistance, PEER_FILES, peerConformanceSkip, widerPhotoFiles, yunetSession } from '../../helpers/peer-detectors.js';
import { SAMPLE_PHOTOS } from '../../../bench/sample-photos.js';

const skip = peerConformanceSkip();
const BOX_TOLERANCE_PX = 1;
const SCORE_TOLERANCE = 1e-3;

/** Pairs each OpenCV face with FaceRead's nearest one and checks boxes, landmarks and scores. */
function assertSameFaces(found: Detection[], reference: OpenCvFace[], image: RgbImage, label: string, withLandmarks: boolean): { px: number; score: number } {
  const worst = { px: 0, score: 0 };
  assert.equal(found.length, reference.length, `${label}: FaceRead finds ${found.length} faces, OpenCV ${reference.length}`);
  const unused = new Set(found.keys());
  for (const [k, face] of reference.entries()) {
    const want = clampToImage(face, image);
    const best = [...unused].sort((a, b) => cornerDistance(found[a]!.box, want) - cornerDistance(found[b]!.box, want))[0]!;
    unused.delete(best);
    const got = found[best]!;
    const distance = cornerDistance(got.box, want);
    assert.ok(distance <= BOX_TOLERANCE_PX, `${label} face ${k}: box ${JSON.stringify(got.box)} vs OpenCV ${JSON.stringify(want)} (${distance.toFixed(3)} px)`);
    assert.ok(Math.abs(got.score - face.score) <= SCORE_TOLERANCE, `${label} face ${k}: score ${got.score} vs OpenCV ${face.score}`);
    worst.px = Math.max(worst.px, distance);
    worst.score = Math.max(worst.score, Math.abs(got.score - face.score));
    if (!withLandmarks) continue;
    assert.equal(got.landmarks?.length, 5, `${label} face ${k}: five landmarks`);
    got.landmarks!.forEach(([x, y], p) => {
      const [wx, wy] = face.landmarks[p]!;
      assert.ok(Math.abs(x - wx) <= BOX_TOLERANCE_PX && Math.abs(y - wy) <= BOX_TOLERANCE_PX, `${label} face ${k} landmark ${p}: (${x}, ${y}) vs OpenCV (${wx}, ${wy})`);
      worst.px = Math.max(worst.px, Math.abs(x - wx), Math.abs(y - wy));
    });
  }
  return worst;
}

/** One line for the test output: how much was compared and the largest differences. */
function summary(worst: { px: number; score: number }[], faces: number, photos: number): string {
  const px = Math.max(...worst.map((w) => w.px));
  const score = Math.max(...worst.map((w) => w.score));
  return `${faces} faces on ${photos} photos; largest difference ${px.toExponential(2)} px, score ${score.toExponential(2)}`;
}

describe('imported ONNX detectors vs OpenCV', { skip }, () => {
  let photos: { label: string; image: RgbImage }[];
  before(async () => {
    const files = [...SAMPLE_PHOTOS, ...(await widerPhotoFiles(6))];
    photos = await Promise.all(files.map(async (file) => ({ label: file.split('/').slice(-2).join('/'), image: await loadRgb(file) })));
  });

  test('YuNet 2022mar: the faces of cv2.FaceDetectorYN on the same input, within 1 px and 1e-3', async (t) => {
    const detector: YunetDetector = yunetDetector()(await yunetSession(PEER_FILES.yunet2022));
    const minScore = 0.3;
    const found: Detection[][] = [];
    const inputs: { image: RgbImage; inputWidth: number; inputHeight: number }[] = [];
    for (const { image } of photos) {
      found.push(await detector.detect(image, { minScore, maxFaces: YUNET_TOP_K }));
      // OpenCV gets the pixels FaceRead's network saw: the photo, or FaceRead's shrunk copy of it.
      const pixels = await yunetPixels(image, detector.lastInput!);
      inputs.push({ image: pixels, inputWidth: pixels.width, inputHeight: pixels.height });
    }
    // Both paths are covered: demo photos shrunk to the cap, WIDER photos at their own size.
    assert.ok(inputs.some((p, i) => p.inputWidth < photos[i]!.image.width), 'no photo was shrunk to the cap');
    const reference = detectWithOpenCv({ family: 'yunet', model: PEER_FILES.yunet2022, scoreThreshold: minScore, nmsThreshold: YUNET_NMS_IOU, topK: YUNET_TOP_K }, inputs);
    const worst = photos.map(({ label, image }, i) => {
      const sx = image.width / inputs[i]!.inputWidth;
      const sy = image.height / inputs[i]!.inputHeight;
      const faces = reference.photos[i]!.faces.map((f) => ({
        ...f,
        x: f.x * sx,
        y: f.y * sy,
        width: f.width * sx,
        height: f.height * sy,
        landmarks: f.landmarks.map(([x, y]) => [x * sx, y * sy] as [number, number]),
      }));
      return assertSameFaces(found[i]!, faces, image, `${label} (OpenCV ${reference.version})`, true);
    });
    const total = found.reduce((sum, f) => sum + f.length, 0);
    t.diagnostic(summary(worst, total, photos.length));
    assert.ok(total >= 2 * photos.length, `only ${total} faces on ${photos.length} photos`);
    // Landmark order: the image-left eye first (OpenCV's "right eye" of the person).
    for (const face of found.flat().filter((f) => f.score > 0.9)) assert.ok(face.landmarks![0]![0] < face.landmarks![1]![0], 'left eye is left of right eye');
  });

  test('UltraFace RFB-320: the faces of cv2.dnn with the authors\' decoding, within 1 px and 1e-3', async (t) => {
    const detector = createUltrafaceDetector(await ort.InferenceSession.create(prepareUltrafaceModel(await readFile(PEER_FILES.ultraface)).bytes, sessionOptions(1)));
    const minScore = 0.5;
    const found: Detection[][] = [];
    for (const { image } of photos) found.push(await detector.detect(image, { minScore, maxFaces: 5000 }));
    const reference = detectWithOpenCv(
      { family: 'ultraface', model: PEER_FILES.ultraface, scoreThreshold: minScore, nmsThreshold: ULTRAFACE_NMS_IOU, topK: 5000 },
      photos.map(({ image }) => ({ image, inputWidth: 320, inputHeight: 240 })),
    );
    const worst = photos.map(({ label, image }, i) => assertSameFaces(found[i]!, reference.photos[i]!.faces, image, label, false));
    const total = found.reduce((sum, f) => sum + f.length, 0);
    t.diagnostic(summary(worst, total, photos.length));
    assert.ok(total >= photos.length, `only ${total} faces on ${photos.length} photos`);
  });
});
