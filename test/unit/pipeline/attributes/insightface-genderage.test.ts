/**
 * InsightFace's genderage kind on networks built here with its signature ([N, 3, 96, 96] ->
 * [N, 3]; no real file is available): the import reads the input normalisation as InsightFace's
 * Attribute class does, refuses other shapes, and the runner's answers match the pipeline
 * InsightFace runs, rebuilt with OpenCV (face_align.transform's matrix, cv2.warpAffine,
 * blobFromImage with swapRB), the network's own arithmetic, argmax and age * 100.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ort from 'onnxruntime-node';
import { inspectGenderAgeModel, normalisesInGraph } from '../../../../src/pipeline/attributes/insightface-genderage.js';
import { createOnnxClassifier } from '../../../../src/pipeline/attributes/onnx-classifier.js';
import type { ModelSpec } from '../../../../src/pipeline/runner-types.js';
import type { Detection, RgbImage } from '../../../../src/types.js';
import { linearAttributeModel, linearOutput, planeMeans, type LinearOutput } from '../../../helpers/attribute-models.js';
import { openCvCrops } from '../../../helpers/opencv-crops.js';
import { openCvUnavailable } from '../../../helpers/opencv-dnn.js';
import { loadRgb, SAMPLE_PHOTOS } from '../../../helpers/opencv-fixtures.js';

/** Female and male scores and age / 100, each a mix of the three channel means. */
const FC1: LinearOutput = {
  name: 'fc1',
  weights: [
    [0.9, -0.4, 0.2],
    [-0.5, 0.8, -0.1],
    [0.3, 0.1, 0.2],
  ],
  bias: [0.05, -0.02, 0.3],
};

const genderage = (options: { normaliseInGraph?: boolean; batch?: number; size?: [number, number]; outputs?: LinearOutput[] } = {}) =>
  linearAttributeModel({ size: options.size ?? [96, 96], outputs: options.outputs ?? [FC1], normaliseInGraph: options.normaliseInGraph ?? false, ...(options.batch ? { batch: options.batch } : {}) });

test('the import feeds (x - 127.5) / 128 unless the graph starts by normalising, as InsightFace decides', () => {
  const plain = inspectGenderAgeModel(genderage());
  assert.deepEqual(plain.input.mean, [127.5, 127.5, 127.5]);
  assert.deepEqual(plain.input.scale, [1 / 128, 1 / 128, 1 / 128]);
  assert.equal(normalisesInGraph(genderage()), false);
  const own = inspectGenderAgeModel(genderage({ normaliseInGraph: true }));
  assert.deepEqual([own.input.mean, own.input.scale], [[0, 0, 0], [1, 1, 1]]);
  assert.deepEqual(own.input.size, [96, 96]);
  assert.deepEqual(own.crop, { method: 'box', margin: 1.5, square: true });
  assert.deepEqual([own.input.name, own.input.layout, own.input.channels, own.input.batch], ['data', 'nchw', 'rgb', null]);
  assert.deepEqual(own.gender, { output: 'fc1', from: 0, type: 'classes', labels: ['female', 'male'], activation: 'softmax' });
  assert.deepEqual(own.age, { output: 'fc1', from: 2, type: 'years', scale: 100, offset: 0 });
});

test('the import refuses files of another shape, naming what it expected and what the file has', () => {
  const four = { ...FC1, weights: [...FC1.weights, [0, 0, 0]] as LinearOutput['weights'], bias: [...FC1.bias, 0] };
  assert.throws(() => inspectGenderAgeModel(genderage({ outputs: [four] })), /Expected an InsightFace genderage model.*but its output is \[N, 4\].*The file has inputs data \[N, 3, 96, 96\]/s);
  assert.throws(() => inspectGenderAgeModel(genderage({ size: [112, 96] })), /not square/);
  assert.throws(() => inspectGenderAgeModel(genderage({ outputs: [FC1, { ...FC1, name: 'extra' }] })), /it has 2 outputs/);
  assert.throws(() => inspectGenderAgeModel(Uint8Array.of(1, 2, 3)), /not an ONNX model/);
});

const skip = openCvUnavailable();

describe("the genderage runner against InsightFace's pipeline in OpenCV", { skip }, () => {
  let photo: RgbImage;
  const faces: Detection[] = [
    { box: { x: 270.4, y: 101.7, width: 120.2, height: 150.9 }, score: 1 },
    { box: { x: 820, y: 150.5, width: 95.5, height: 118 }, score: 1 },
    // Reaching past the photo's left edge: InsightFace's crop is black there.
    { box: { x: -30.3, y: 40, width: 140, height: 160 }, score: 1 },
  ];
  before(async () => {
    photo = await loadRgb(SAMPLE_PHOTOS[0]!);
  });

  for (const normaliseInGraph of [false, true]) {
    test(`answers as InsightFace would (${normaliseInGraph ? 'graph normalises' : 'fed (x - 127.5) / 128'}), in one batch or one face at a time`, async () => {
      const [mean, scale] = normaliseInGraph ? [0, 1] : [127.5, 1 / 128];
      const reference = openCvCrops(
        photo,
        faces.map(({ box }) => ({ box: [box.x, box.y, box.x + box.width, box.y + box.height], margin: 1.5, size: [96, 96], blob: { mean, scale, swapRB: true } })),
      );
      const expected = reference.runs.map((run) => {
        let means = planeMeans(run.blob!, [96, 96]);
        if (normaliseInGraph) means = means.map((m) => (m - 127.5) / 128);
        const [female, male, age] = linearOutput(FC1, means) as [number, number, number];
        // InsightFace: argmax of the two scores, age * 100; the probability is their softmax.
        const isMale = male > female;
        return { label: isMale ? 'male' : 'female', probability: 1 / (1 + Math.exp(isMale ? female - male : male - female)), years: age * 100 };
      });
      for (const batch of [undefined, 1]) {
        const bytes = genderage({ normaliseInGraph, ...(batch ? { batch } : {}) });
        const spec = inspectGenderAgeModel(bytes) as unknown as ModelSpec;
        const predictor = createOnnxClassifier(await ort.InferenceSession.create(bytes), undefined, spec);
        const answers = await predictor.predict(photo, faces);
        answers.forEach((answer, i) => {
          const want = expected[i]!;
          assert.equal(answer.gender!.label, want.label, `face ${i}`);
          assert.ok(Math.abs(answer.gender!.probability - want.probability) < 1e-5, `face ${i}: probability ${answer.gender!.probability} vs ${want.probability}`);
          assert.ok(Math.abs(answer.ageYears! - want.years) < 1e-3, `face ${i}: age ${answer.ageYears} vs ${want.years}`);
        });
      }
      assert.ok(new Set(expected.map((e) => e.label)).size === 2 || expected.some((e) => Math.abs(e.years - expected[0]!.years) > 1), 'the faces give different answers (the test can tell them apart)');
    });
  }
});
