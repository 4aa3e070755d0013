/**
 * The converted tiny_face_detector_model against face-api on tfjs-cpu, on
 * the demo photos: raw grids within 1e-3 (at 416 px and at another size, the
 * graph being size-agnostic), and the runner's faces against face-api's
 * `locateFaces` (same count, IoU >= 0.99 each, scores within 1e-3).
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import ort from 'onnxruntime-node';
import { convertTinyFaceDetector } from '../../../src/convert/faceapi/tiny-face-detector.js';
import { createTinyFaceDetector, tinyFaceInput } from '../../../src/pipeline/detectors/tiny-face-detector.js';
import { iou } from '../../../src/pipeline/nms.js';
import type { Box, RgbImage } from '../../../src/types.js';
import { FACEAPI_MODEL_DIR, loadFaceApi } from '../../helpers/faceapi-reference.js';
import { loadSample } from '../../fixtures/faceapi-sample-faces.js';

const TOLERANCE = 1e-3;

function clampedCorners(box: Box, image: RgbImage) {
  const clamp = (v: number, max: number) => Math.min(Math.max(v, 0), max);
  return {
    x1: clamp(box.x, image.width),
    y1: clamp(box.y, image.height),
    x2: clamp(box.x + box.width, image.width),
    y2: clamp(box.y + box.height, image.height),
  };
}

let session: ort.InferenceSession;
before(async () => {
  session = await ort.InferenceSession.create(await convertTinyFaceDetector(FACEAPI_MODEL_DIR), { graphOptimizationLevel: 'all' });
  const { faceapi } = await loadFaceApi();
  await faceapi.nets.tinyFaceDetector.loadFromDisk(FACEAPI_MODEL_DIR);
});

for (const [sample, size] of [[1, 416], [6, 416], [6, 320]] as const) {
  test(`tiny face detector ONNX grid matches face-api within ${TOLERANCE} on sample${sample} at ${size} px`, async () => {
    const { tf, faceapi } = await loadFaceApi();
    const image = await loadSample(sample);
    const imageTensor = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
    const reference = await faceapi.nets.tinyFaceDetector.forward(imageTensor, size);
    const expected = (await reference.data()) as Float32Array;
    tf.dispose([imageTensor, reference]);
    const { grid } = await session.run({ image: tinyFaceInput(image, size) });
    const cells = size / 32;
    assert.deepEqual(grid!.dims, [1, cells, cells, 25]);
    let maxDiff = 0;
    for (let i = 0; i < expected.length; i++) maxDiff = Math.max(maxDiff, Math.abs((grid!.data as Float32Array)[i]! - expected[i]!));
    assert.ok(maxDiff <= TOLERANCE, `grid differs by ${maxDiff}`);
  });
}

for (const sample of [1, 5, 6]) {
  test(`tiny face detector finds face-api's faces on sample${sample} (IoU >= 0.99)`, async () => {
    const { tf, faceapi } = await loadFaceApi();
    const image = await loadSample(sample);
    const imageTensor = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
    const options = new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: 0.5 });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const expected: { box: Box; score: number }[] = (await faceapi.nets.tinyFaceDetector.locateFaces(imageTensor, options)).map((d: any) => ({
      box: { x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height },
      score: d.score,
    }));
    tf.dispose(imageTensor);
    const found = await createTinyFaceDetector(session).detect(image, { minScore: 0.5, maxFaces: 100 });
    assert.ok(expected.length >= 3, `face-api found only ${expected.length} faces`);
    assert.equal(found.length, expected.length);
    found.forEach((face, i) => {
      const overlap = iou(clampedCorners(face.box, image), clampedCorners(expected[i]!.box, image));
      assert.ok(overlap >= 0.99, `face ${i}: IoU ${overlap}`);
      assert.ok(Math.abs(face.score - expected[i]!.score) <= TOLERANCE, `face ${i}: score ${face.score} vs ${expected[i]!.score}`);
      assert.ok(face.box.x >= 0 && face.box.y >= 0 && face.box.x + face.box.width <= image.width && face.box.y + face.box.height <= image.height);
    });
  });
}

test('maxFaces and minScore limit the detections', async () => {
  const image = await loadSample(5);
  const detector = createTinyFaceDetector(session);
  const all = await detector.detect(image, { minScore: 0.5, maxFaces: 100 });
  const two = await detector.detect(image, { minScore: 0.5, maxFaces: 2 });
  assert.deepEqual(two, all.slice(0, 2));
  const confident = await detector.detect(image, { minScore: 0.8, maxFaces: 100 });
  assert.ok(confident.length < all.length && confident.every((d) => d.score > 0.8));
});
