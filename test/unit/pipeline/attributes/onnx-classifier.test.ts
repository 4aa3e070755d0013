/**
 * The runner for imported attribute networks: how outputs become answers, and a whole run
 * (NHWC, BGR, mean/std, landmark crops, a fixed batch of 2 for 3 faces) against the same
 * computation made from OpenCV's crops (skipped without Debian's python3-opencv).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ort from 'onnxruntime-node';
import { fitSpecToModel } from '../../../../src/pipeline/attributes/classifier-import.js';
import { readClassifierSpec } from '../../../../src/pipeline/attributes/classifier-spec.js';
import { ARCFACE_TEMPLATE_112 } from '../../../../src/pipeline/attributes/face-affine-crop.js';
import { createOnnxClassifier, readAge, readGender } from '../../../../src/pipeline/attributes/onnx-classifier.js';
import { modelSignature } from '../../../../src/convert/onnx/model-signature.js';
import { BUCKET_MIDPOINTS } from '../../../../src/pipeline/age-buckets.js';
import type { ModelSpec } from '../../../../src/pipeline/runner-types.js';
import type { Detection, Point, RgbImage } from '../../../../src/types.js';
import { linearAttributeModel, linearOutput, type LinearOutput } from '../../../helpers/attribute-models.js';
import { openCvCrops } from '../../../helpers/opencv-crops.js';
import { openCvUnavailable } from '../../../helpers/opencv-dnn.js';
import { loadRgb, SAMPLE_PHOTOS } from '../../../helpers/opencv-fixtures.js';

const close = (actual: number, expected: number, tolerance: number, what: string) => assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected}`);

test('two gender classes: softmax of the scores, the larger wins, ties to the first label', () => {
  const female = readGender([9, 0.4, 2], { from: 1, type: 'classes', labels: ['male', 'female'], activation: 'softmax' });
  assert.equal(female.label, 'female');
  close(female.probability, Math.exp(2) / (Math.exp(0.4) + Math.exp(2)), 1e-12, 'softmax of the two scores read from index 1');
  assert.deepEqual(readGender([0.2, 0.8], { from: 0, type: 'classes', labels: ['male', 'female'], activation: 'none' }), { label: 'female', probability: 0.8 });
  const male = readGender([2, 0.4], { from: 0, type: 'classes', labels: ['male', 'female'], activation: 'softmax' });
  assert.equal(male.label, 'male');
  close(male.probability, 1 / (1 + Math.exp(0.4 - 2)), 1e-12, 'softmax of two scores');
  assert.equal(readGender([0.5, 0.5], { from: 0, type: 'classes', labels: ['female', 'male'], activation: 'none' }).label, 'female', 'a tie goes to the first');
});

test('one gender probability: the class named above 0.5, else the other; sigmoid for logits', () => {
  assert.deepEqual(readGender([0.7], { from: 0, type: 'probability', of: 'male', activation: 'none' }), { label: 'male', probability: 0.7 });
  const other = readGender([0.3], { from: 0, type: 'probability', of: 'male', activation: 'none' });
  assert.equal(other.label, 'female');
  close(other.probability, 0.7, 1e-12, 'complement');
  const logit = readGender([0, 1.5], { from: 1, type: 'probability', of: 'female', activation: 'sigmoid' });
  assert.equal(logit.label, 'female');
  close(logit.probability, 1 / (1 + Math.exp(-1.5)), 1e-12, 'sigmoid');
});

test('age: one value scaled to years, or the eight buckets weighted by their midpoints', () => {
  close(readAge([0, 0.315], { from: 1, type: 'years', scale: 100, offset: 0 }).ageYears!, 31.5, 1e-9, 'age / 100');
  close(readAge([3.2], { from: 0, type: 'years', scale: 10, offset: 5 }).ageYears!, 37, 1e-9, 'scale and offset');
  const probabilities = [0, 0.1, 0, 0, 0.6, 0.3, 0, 0];
  const buckets = readAge([7, ...probabilities], { from: 1, type: 'buckets', activation: 'none' });
  close(buckets.ageYears!, 0.1 * 5 + 0.6 * 28.5 + 0.3 * 40.5, 1e-9, '(4-6)=5, (25-32)=28.5, (38-43)=40.5');
  assert.deepEqual(buckets.ageBucketProbabilities, probabilities);
  const logits = [1, 2, 3, 4, 5, 6, 7, 8];
  const soft = readAge(logits, { from: 0, type: 'buckets', activation: 'softmax' });
  const exps = logits.map(Math.exp);
  const total = exps.reduce((a, b) => a + b, 0);
  soft.ageBucketProbabilities!.forEach((p, i) => close(p, exps[i]! / total, 1e-12, `bucket ${i}`));
  close(soft.ageYears!, exps.reduce((sum, e, i) => sum + (e / total) * BUCKET_MIDPOINTS[i]!, 0), 1e-9, 'expected age');
});

/** Two gender scores ([female, male]) and eight bucket scores, NHWC. */
const GENDER: LinearOutput = { name: 'gender', weights: [[0.2, -0.1, 0.05], [-0.15, 0.2, 0.1]], bias: [0.1, -0.1] };
const BUCKETS: LinearOutput = {
  name: 'buckets',
  weights: Array.from({ length: 8 }, (_, j) => [0.01 * (j - 3), -0.004 * j, 0.006 * (4 - j)] as const),
  bias: [0.3, -0.2, 0.1, 0, 0.2, -0.1, 0.05, 0],
};
const SPEC = {
  input: { size: 64, channels: 'bgr', mean: [104, 117, 123], std: [57, 57, 58] },
  crop: { method: 'landmarks', margin: 1.2 },
  gender: { output: 'gender', type: 'classes', labels: ['female', 'male'], activation: 'softmax' },
  age: { output: 'buckets', type: 'buckets', activation: 'softmax' },
};

test('a face without landmarks is refused when the spec crops by landmarks', async () => {
  const bytes = linearAttributeModel({ size: [64, 64], layout: 'nhwc', outputs: [GENDER, BUCKETS] });
  const spec = fitSpecToModel(readClassifierSpec(SPEC), modelSignature(bytes)) as unknown as ModelSpec;
  const predictor = createOnnxClassifier(await ort.InferenceSession.create(bytes), undefined, spec);
  const image: RgbImage = { data: new Uint8Array(32 * 32 * 3), width: 32, height: 32 };
  await assert.rejects(predictor.predict(image, [{ box: { x: 1, y: 1, width: 20, height: 20 }, score: 1 }]), /crops faces by their five landmarks, but a face has none/);
  assert.throws(() => createOnnxClassifier(null as never, undefined, readClassifierSpec(SPEC) as unknown as ModelSpec), /fitted to its model at import/);
});

const skip = openCvUnavailable();

describe('a landmark-cropped NHWC BGR classifier against OpenCV', { skip }, () => {
  let photo: RgbImage;
  let faces: Detection[];
  before(async () => {
    photo = await loadRgb(SAMPLE_PHOTOS[0]!);
    // Three template faces placed, scaled and turned in the photo.
    faces = [
      [300, 120, 1.4, 0.1],
      [700, 80, 1.1, -0.25],
      [100, 300, 2.0, 0],
    ].map(([dx, dy, scale, angle]): Detection => {
      const landmarks = ARCFACE_TEMPLATE_112.map(([x, y]): Point => [dx! + scale! * (x * Math.cos(angle!) - y * Math.sin(angle!)), dy! + scale! * (x * Math.sin(angle!) + y * Math.cos(angle!))]);
      return { box: { x: dx!, y: dy!, width: 112 * scale!, height: 112 * scale! }, score: 1, landmarks };
    });
  });

  test('answers from the same crops, scaled in BGR order, run two faces at a time', async () => {
    const bytes = linearAttributeModel({ size: [64, 64], layout: 'nhwc', batch: 2, outputs: [GENDER, BUCKETS] });
    const spec = fitSpecToModel(readClassifierSpec(SPEC), modelSignature(bytes));
    assert.equal(spec.input.batch, 2);
    const predictor = createOnnxClassifier(await ort.InferenceSession.create(bytes), undefined, spec as unknown as ModelSpec);
    const answers = await predictor.predict(photo, faces);
    const target = ARCFACE_TEMPLATE_112.map(([x, y]): Point => [32 + ((x * 64) / 112 - 32) / 1.2, 32 + ((y * 64) / 112 - 32) / 1.2]);
    const reference = openCvCrops(photo, faces.map((face) => ({ fit: { from: face.landmarks!, to: target }, size: [64, 64] as [number, number] })));
    reference.runs.forEach((run, i) => {
      // Per-channel means of OpenCV's crop, BGR, minus the mean, over the std.
      const sums = [0, 0, 0];
      run.crop.forEach((v, k) => (sums[k % 3]! += v));
      const rgb = sums.map((s) => s / (64 * 64));
      const bgr = [rgb[2]!, rgb[1]!, rgb[0]!].map((m, c) => (m - SPEC.input.mean[c]!) / SPEC.input.std[c]!);
      const [female, male] = linearOutput(GENDER, bgr) as [number, number];
      const answer = answers[i]!;
      assert.equal(answer.gender!.label, male > female ? 'male' : 'female', `face ${i}`);
      close(answer.gender!.probability, 1 / (1 + Math.exp(-Math.abs(male - female))), 1e-3, `face ${i} gender probability`);
      const scores = linearOutput(BUCKETS, bgr);
      const exps = scores.map(Math.exp);
      const total = exps.reduce((a, b) => a + b, 0);
      close(answer.ageYears!, exps.reduce((sum, e, j) => sum + (e / total) * BUCKET_MIDPOINTS[j]!, 0), 0.01, `face ${i} age`);
    });
  });
});
