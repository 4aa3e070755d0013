/**
 * The converted age_gender_model against face-api on tfjs-cpu, on real faces
 * of the demo photos: same crops in, raw outputs within 1e-3.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import ort from 'onnxruntime-node';
import { convertAgeGender } from '../../../src/convert/faceapi/age-gender.js';
import { faceBatch } from '../../../src/pipeline/attributes/age-gender-faceapi.js';
import type { Box, RgbImage } from '../../../src/types.js';
import { FACEAPI_MODEL_DIR, loadFaceApi } from '../../helpers/faceapi-reference.js';
import { loadSample, sampleFaceBoxes } from '../../fixtures/faceapi-sample-faces.js';

const TOLERANCE = 1e-3;

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function faceApiOutputs(image: RgbImage, boxes: Box[]): Promise<{ crops: Float32Array; age: Float32Array; gender: Float32Array }> {
  const { tf, faceapi } = await loadFaceApi();
  const imageTensor = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
  const rects = boxes.map((b) => new faceapi.Rect(b.x, b.y, b.width, b.height));
  const faces = await faceapi.extractFaceTensors(imageTensor, rects);
  const netInput = await faceapi.toNetInput(faces);
  const batch = netInput.toBatchTensor(112, true);
  const out = await faceapi.nets.ageGenderNet.forward(faces);
  const result = { crops: await batch.data(), age: await out.age.data(), gender: await out.gender.data() };
  tf.dispose([imageTensor, ...faces, batch, out.age, out.gender]);
  return result;
}

let session: ort.InferenceSession;
before(async () => {
  session = await ort.InferenceSession.create(await convertAgeGender(FACEAPI_MODEL_DIR), { graphOptimizationLevel: 'all' });
  const { faceapi } = await loadFaceApi();
  await faceapi.nets.ageGenderNet.loadFromDisk(FACEAPI_MODEL_DIR);
});

const cases: { name: string; sample: number; boxes: (image: RgbImage) => Box[] }[] = [
  { name: 'sample1 faces', sample: 1, boxes: () => sampleFaceBoxes(1) },
  { name: 'sample5 faces', sample: 5, boxes: () => sampleFaceBoxes(5) },
  {
    name: 'fractional boxes and boxes crossing the image border',
    sample: 4,
    boxes: (image) => [
      { x: 664.6, y: 53.3, width: 187.7, height: 258.2 },
      { x: -40.5, y: 185.9, width: 300.25, height: 245 },
      { x: image.width - 100.4, y: image.height - 80.7, width: 150, height: 120 },
    ],
  },
];

for (const { name, sample, boxes: boxesOf } of cases) {
  test(`age_gender ONNX matches face-api within ${TOLERANCE} on ${name}`, async () => {
    const image = await loadSample(sample);
    const boxes = boxesOf(image);
    const reference = await faceApiOutputs(image, boxes);
    const input = faceBatch(image, boxes.map((box) => ({ box, score: 1 })), 112);
    assert.equal(maxAbsDifference(input.data as Float32Array, reference.crops), 0, 'face crops differ from face-api toBatchTensor');
    const outputs = await session.run({ image: input });
    assert.deepEqual(outputs.age!.dims, [boxes.length, 1]);
    assert.deepEqual(outputs.gender!.dims, [boxes.length, 2]);
    const ageDiff = maxAbsDifference(outputs.age!.data as Float32Array, reference.age);
    const genderDiff = maxAbsDifference(outputs.gender!.data as Float32Array, reference.gender);
    assert.ok(ageDiff <= TOLERANCE, `age differs by ${ageDiff}`);
    assert.ok(genderDiff <= TOLERANCE, `gender differs by ${genderDiff}`);
  });
}
