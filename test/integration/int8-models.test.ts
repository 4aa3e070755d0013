/**
 * The int8 versions of the built-in networks: how onnxruntime runs them (how
 * many convolutions it fuses into QLinearConv) and how close their answers
 * stay to float32 on face-api's six demo photos, plus the store keeping both
 * precisions side by side.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import ort from 'onnxruntime-node';
import { convertFloat } from '../../src/convert/quantize/calibration-inputs.js';
import { convNodeNames } from '../../src/convert/quantize/quantize-model.js';
import { quantizeBuiltIn } from '../../src/convert/quantize/quantize-builtin.js';
import { modelPrecision } from '../../src/models/precision.js';
import { findModel, MODELS } from '../../src/models/registry.js';
import { ModelStore } from '../../src/models/store.js';
import type { AttributePredictor, FaceDetector } from '../../src/pipeline/runner-types.js';
import type { Box, Detection } from '../../src/types.js';
import { loadSample, SAMPLE_NUMBERS, sampleFaceBoxes } from '../fixtures/faceapi-sample-faces.js';
import { optimizedOpCounts } from '../helpers/optimized-graph.js';

const SSD = findModel('faceapi-ssd-mobilenetv1');
const AGE_GENDER = findModel('faceapi-age-gender');
const session = (bytes: Uint8Array) => ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all', intraOpNumThreads: 1 });

function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  const inter = Math.max(0, w) * Math.max(0, h);
  return inter / (a.width * a.height + b.width * b.height - inter);
}

describe('every built-in network with an int8 version', () => {
  for (const model of MODELS.filter((m) => m.int8)) {
    it(`${model.id}: onnxruntime fuses every quantised convolution into QLinearConv`, async () => {
      const fp32 = await convertFloat(model);
      const int8 = quantizeBuiltIn(model.id, model.int8!, fp32);
      const counts = await optimizedOpCounts(int8);
      const convs = convNodeNames(fp32).length;
      const kept = model.int8!.keepFloat.length;
      assert.equal(counts.get('QLinearConv'), convs - kept, JSON.stringify(Object.fromEntries(counts)));
      // The ones kept in float32 run as float convolutions (plain or fused with their activation).
      assert.equal((counts.get('Conv') ?? 0) + (counts.get('FusedConv') ?? 0), kept);
    });
  }

  it('the SSD detector: all 41 convolutions fused', async () => {
    const counts = await optimizedOpCounts(quantizeBuiltIn(SSD.id, SSD.int8!, await convertFloat(SSD)));
    assert.equal(counts.get('QLinearConv'), 41);
  });

  it('quantising is deterministic: the same bytes every time', async () => {
    const fp32 = await convertFloat(SSD);
    assert.deepEqual(quantizeBuiltIn(SSD.id, SSD.int8!, fp32), quantizeBuiltIn(SSD.id, SSD.int8!, fp32));
  });
});

describe('int8 against float32 on the six demo photos', () => {
  const detectors: Record<'fp32' | 'int8', FaceDetector> = {} as never;
  const predictors: Record<'fp32' | 'int8', AttributePredictor> = {} as never;
  before(async () => {
    const ssd = await convertFloat(SSD);
    const ageGender = await convertFloat(AGE_GENDER);
    const detectorFactory = await SSD.runner();
    const predictorFactory = await AGE_GENDER.runner();
    detectors.fp32 = detectorFactory(await session(ssd)) as FaceDetector;
    detectors.int8 = detectorFactory(await session(quantizeBuiltIn(SSD.id, SSD.int8!, ssd))) as FaceDetector;
    predictors.fp32 = predictorFactory(await session(ageGender)) as AttributePredictor;
    predictors.int8 = predictorFactory(await session(quantizeBuiltIn(AGE_GENDER.id, AGE_GENDER.int8!, ageGender))) as AttributePredictor;
  });

  for (const sample of SAMPLE_NUMBERS) {
    it(`sample${sample}: the same faces, boxes within IoU 0.85, scores within 0.1`, async () => {
      const image = await loadSample(sample);
      const options = { minScore: 0.5, maxFaces: 100 };
      const fp32 = await detectors.fp32.detect(image, options);
      const int8 = await detectors.int8.detect(image, options);
      assert.equal(int8.length, fp32.length);
      for (const face of fp32) {
        const match = int8.reduce((best, d) => (iou(d.box, face.box) > iou(best.box, face.box) ? d : best));
        assert.ok(iou(match.box, face.box) >= 0.85, `IoU ${iou(match.box, face.box).toFixed(3)} for ${JSON.stringify(face.box)}`);
        assert.ok(Math.abs(match.score - face.score) <= 0.1, `score ${match.score} against ${face.score}`);
      }
    });
  }

  it('age within 3 years per face (mean within 1) and the same gender, on the same crops', async () => {
    const differences: number[] = [];
    for (const sample of SAMPLE_NUMBERS) {
      const image = await loadSample(sample);
      const faces: Detection[] = sampleFaceBoxes(sample).map((box) => ({ box, score: 1 }));
      const fp32 = await predictors.fp32.predict(image, faces);
      const int8 = await predictors.int8.predict(image, faces);
      fp32.forEach((p, i) => {
        const q = int8[i]!;
        assert.equal(q.gender?.label, p.gender?.label, `sample${sample} face ${i}`);
        assert.ok(Math.abs(q.gender!.probability - p.gender!.probability) < 0.1, `sample${sample} face ${i}: ${q.gender!.probability} against ${p.gender!.probability}`);
        differences.push(Math.abs(q.ageYears! - p.ageYears!));
      });
    }
    const mean = differences.reduce((a, b) => a + b, 0) / differences.length;
    assert.ok(Math.max(...differences) <= 3, `largest age difference ${Math.max(...differences).toFixed(2)} years`);
    assert.ok(mean <= 1, `mean age difference ${mean.toFixed(2)} years`);
  });
});

describe('the model store with both precisions', () => {
  it('keeps <id>.onnx and <id>.int8.onnx side by side, each with its precision in the manifest', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'faceread-int8-store-'));
    try {
      const store = new ModelStore(dir);
      const model = findModel('faceapi-landmarks-68');
      const fp32 = await store.ensure(model, 'fp32');
      const int8 = await store.ensure(model, 'int8');
      assert.deepEqual([path.basename(fp32.path), path.basename(int8.path)], ['faceapi-landmarks-68.onnx', 'faceapi-landmarks-68.int8.onnx']);
      assert.deepEqual([fp32.precision, int8.precision], ['fp32', 'int8']);
      assert.equal((await store.ensure(model, 'int8')).converted, false);
      const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
      assert.equal(manifest.models['faceapi-landmarks-68'].precision, 'fp32');
      assert.equal(manifest.models['faceapi-landmarks-68@int8'].precision, 'int8');
      assert.equal(typeof manifest.models['faceapi-landmarks-68@int8'].quantizerVersion, 'number');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('an imported-style model without an int8 version runs in float32 whatever is asked', () => {
    assert.equal(modelPrecision({}, 'int8'), 'fp32');
    assert.equal(modelPrecision(findModel('faceapi-landmarks-68'), 'fp32'), 'fp32');
    assert.equal(modelPrecision(findModel('faceapi-landmarks-68'), 'int8'), 'int8');
  });
});
