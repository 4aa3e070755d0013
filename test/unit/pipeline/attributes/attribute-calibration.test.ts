import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calibratedPredictor, calibratePrediction, interpolate } from '../../../../src/pipeline/attributes/attribute-calibration.js';
import type { InferenceSession } from 'onnxruntime-node';

test('interpolation through knots, extended past both ends', () => {
  const from = [0, 10, 20];
  const to = [2, 10, 25];
  assert.equal(interpolate(from, to, 15), 17.5);
  assert.equal(interpolate(from, to, 10), 10);
  assert.equal(interpolate(from, to, -5), -2);
  assert.equal(interpolate(from, to, 30), 40);
});

test('age map, range band and Platt-scaled gender', () => {
  const calibration = {
    age: { from: [0, 50, 100], to: [0, 55, 100] },
    ageRange: [{ below: 20, low: -2, high: 3 }, { below: Infinity, low: -6, high: 8 }],
    gender: { scale: 0.5, shift: 0 },
  };
  const p = calibratePrediction({ ageYears: 50, gender: { label: 'male', probability: 0.9 } }, calibration);
  assert.equal(p.ageYears, 55);
  assert.deepEqual(p.ageRange, [49, 63]);
  // logit(0.9) = ln 9; halved: sqrt(9) = 3 to 1 -> 0.75.
  assert.equal(p.gender!.label, 'male');
  assert.ok(Math.abs(p.gender!.probability - 0.75) < 1e-9);
  const child = calibratePrediction({ ageYears: 1, gender: { label: 'female', probability: 0.99 } }, calibration);
  assert.deepEqual(child.ageRange, [0, 4.1]);
  assert.equal(child.gender!.label, 'female');
});

test('a calibrated predictor calibrates what its inner runner predicts', async () => {
  const factory = calibratedPredictor(() => ({ predict: async () => [{ ageYears: 10 }] }), { age: { from: [0, 10], to: [0, 8] } });
  const [p] = await factory({} as InferenceSession).predict({ data: new Uint8Array(3), width: 1, height: 1 }, [{ box: { x: 0, y: 0, width: 1, height: 1 }, score: 1 }]);
  assert.equal(p!.ageYears, 8);
});
