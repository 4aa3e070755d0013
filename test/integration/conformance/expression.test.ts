/**
 * The converted face_expression_model against face-api on tfjs-cpu, on the
 * real faces of the demo photos cropped as face-api crops them: the seven
 * probabilities within 1e-3 of face-api's, and the same top expression.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import ort from 'onnxruntime-node';
import { convertExpression, EXPRESSION_LABELS } from '../../../src/convert/faceapi/expression.js';
import { faceCropBatch } from '../../../src/image/crop.js';
import type { Box, RgbImage } from '../../../src/types.js';
import { FACEAPI_MODEL_DIR, loadFaceApi } from '../../helpers/faceapi-reference.js';
import { loadSample, sampleFaceBoxes, SAMPLE_NUMBERS } from '../../fixtures/faceapi-sample-faces.js';

const TOLERANCE = 1e-3;

async function faceApiExpressions(image: RgbImage, boxes: Box[]): Promise<Float32Array> {
  const { tf, faceapi } = await loadFaceApi();
  const imageTensor = tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
  const faces = await faceapi.extractFaceTensors(imageTensor, boxes.map((b) => new faceapi.Rect(b.x, b.y, b.width, b.height)));
  const probabilities = faceapi.nets.faceExpressionNet.forwardInput(await faceapi.toNetInput(faces));
  const data = (await probabilities.data()) as Float32Array;
  tf.dispose([imageTensor, ...faces, probabilities]);
  return data;
}

let session: ort.InferenceSession;
before(async () => {
  session = await ort.InferenceSession.create(await convertExpression(FACEAPI_MODEL_DIR), { graphOptimizationLevel: 'all' });
  const { faceapi } = await loadFaceApi();
  await faceapi.nets.faceExpressionNet.loadFromDisk(FACEAPI_MODEL_DIR);
});

for (const sample of SAMPLE_NUMBERS) {
  test(`face_expression ONNX matches face-api on sample${sample} faces`, async () => {
    const image = await loadSample(sample);
    const boxes = sampleFaceBoxes(sample);
    const reference = await faceApiExpressions(image, boxes);
    const { data } = faceCropBatch(image, boxes, 112);
    const outputs = await session.run({ image: new ort.Tensor('float32', data, [boxes.length, 112, 112, 3]) });
    const got = outputs.expressions!;
    assert.deepEqual(got.dims, [boxes.length, EXPRESSION_LABELS.length]);
    const values = got.data as Float32Array;
    let maxDiff = 0;
    for (let i = 0; i < reference.length; i++) maxDiff = Math.max(maxDiff, Math.abs(values[i]! - reference[i]!));
    assert.ok(maxDiff <= TOLERANCE, `probabilities differ by ${maxDiff}`);
    for (let f = 0; f < boxes.length; f++) {
      const row = (a: ArrayLike<number>) => Array.from({ length: 7 }, (_, k) => a[f * 7 + k]!);
      const top = (a: number[]) => a.indexOf(Math.max(...a));
      assert.equal(top(row(values)), top(row(reference)), `face ${f}`);
      assert.ok(Math.abs(row(values).reduce((s, p) => s + p, 0) - 1) < 1e-5, `face ${f}: probabilities sum to 1`);
    }
  });
}
