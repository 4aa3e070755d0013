/**
 * The converted face_landmark_68_model against face-api on tfjs-cpu, on real
 * faces of the demo photos: raw outputs within 1e-3, and the runner's five
 * points where face-api puts the same points (its padding maths rounds
 * differently by up to half a pixel).
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import ort from 'onnxruntime-node';
import { convertLandmarks68 } from '../../../src/convert/faceapi/landmarks-68.js';
import { faceCropBatch, faceRegion } from '../../../src/image/crop.js';
import { createFaceApiLandmarkFinder, fivePointsOf68 } from '../../../src/pipeline/landmarks/landmarks-68-faceapi.js';
import type { Box, Point, RgbImage } from '../../../src/types.js';
import { FACEAPI_MODEL_DIR, loadFaceApi } from '../../helpers/faceapi-reference.js';
import { loadSample, sampleFaceBoxes } from '../../fixtures/faceapi-sample-faces.js';

const TOLERANCE = 1e-3;

async function faceApiLandmarks(image: RgbImage, boxes: Box[]): Promise<{ raw: Float32Array; points: Point[][] }> {
  const { tf, faceapi } = await loadFaceApi();
  const imageTensor = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
  const faces = await faceapi.extractFaceTensors(imageTensor, boxes.map((b) => new faceapi.Rect(b.x, b.y, b.width, b.height)));
  const net = faceapi.nets.faceLandmark68Net;
  const rawTensor = net.runNet(await faceapi.toNetInput(faces));
  const raw = (await rawTensor.data()) as Float32Array;
  const landmarks = await net.detectLandmarks(faces);
  const points = boxes.map((box, i) => {
    const region = faceRegion(box, image.width, image.height);
    // face-api's points are relative to the extracted (floored) face region.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return landmarks[i].positions.map((p: any): Point => [p.x + region.x, p.y + region.y]);
  });
  tf.dispose([imageTensor, ...faces, rawTensor]);
  return { raw, points };
}

let session: ort.InferenceSession;
before(async () => {
  session = await ort.InferenceSession.create(await convertLandmarks68(FACEAPI_MODEL_DIR), { graphOptimizationLevel: 'all' });
  const { faceapi } = await loadFaceApi();
  await faceapi.nets.faceLandmark68Net.loadFromDisk(FACEAPI_MODEL_DIR);
});

for (const sample of [2, 6]) {
  test(`landmarks_68 ONNX matches face-api on sample${sample} faces`, async () => {
    const image = await loadSample(sample);
    const boxes = sampleFaceBoxes(sample);
    const reference = await faceApiLandmarks(image, boxes);
    const { data } = faceCropBatch(image, boxes, 112);
    const outputs = await session.run({ image: new ort.Tensor('float32', data, [boxes.length, 112, 112, 3]) });
    const raw = outputs.landmarks!;
    assert.deepEqual(raw.dims, [boxes.length, 136]);
    let maxDiff = 0;
    for (let i = 0; i < reference.raw.length; i++) maxDiff = Math.max(maxDiff, Math.abs((raw.data as Float32Array)[i]! - reference.raw[i]!));
    assert.ok(maxDiff <= TOLERANCE, `raw landmarks differ by ${maxDiff}`);

    const found = await createFaceApiLandmarkFinder(session).locate(image, boxes.map((box) => ({ box, score: 1 })));
    assert.equal(found.length, boxes.length);
    found.forEach((points, i) => {
      const expected = fivePointsOf68(reference.points[i]!);
      points.forEach(([x, y], k) => {
        const [ex, ey] = expected[k]!;
        assert.ok(Math.abs(x - ex) <= 0.51 && Math.abs(y - ey) <= 0.51, `face ${i} point ${k}: ${x},${y} vs face-api ${ex},${ey}`);
      });
    });
  });
}

test('five points lie in their face box in anatomical order (eyes above nose above mouth, left before right)', async () => {
  const image = await loadSample(3);
  const boxes = sampleFaceBoxes(3);
  const found = await createFaceApiLandmarkFinder(session).locate(image, boxes.map((box) => ({ box, score: 1 })));
  found.forEach((points, i) => {
    const box = boxes[i]!;
    const [leftEye, rightEye, nose, leftMouth, rightMouth] = points as [Point, Point, Point, Point, Point];
    for (const [x, y] of points) {
      assert.ok(x >= box.x && x <= box.x + box.width && y >= box.y && y <= box.y + box.height, `face ${i}: ${x},${y} outside its box`);
    }
    assert.ok(leftEye[0] < rightEye[0] && leftMouth[0] < rightMouth[0], `face ${i}: left/right swapped`);
    assert.ok(Math.max(leftEye[1], rightEye[1]) < nose[1] && nose[1] < Math.min(leftMouth[1], rightMouth[1]), `face ${i}: vertical order`);
  });
});
