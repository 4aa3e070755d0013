import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ageBandOf, attributeMetrics, attributeReport, expectedCalibrationError, MISSED_FACE_AGE, type AttributeOutcome } from '../../../../src/eval/metrics/attribute-metrics.js';

const face = (trueAge: number, predictedAge: number, trueGender: 'male' | 'female', predictedGender: 'male' | 'female', p = 0.9): AttributeOutcome => ({
  trueAge, trueGender, detected: true, predictedAge, predictedGender, genderProbability: p,
});

test('MAE, bias, CS@5, buckets and gender accuracy on found faces', () => {
  const m = attributeMetrics([face(30, 33, 'male', 'male'), face(10, 20, 'female', 'male'), face(70, 64, 'female', 'female')]);
  assert.equal(m.faces, 3);
  assert.equal(m.detected, 3);
  assert.ok(Math.abs(m.ageMae - (3 + 10 + 6) / 3) < 1e-12);
  assert.ok(Math.abs(m.ageBias - (3 + 10 - 6) / 3) < 1e-12);
  assert.ok(Math.abs(m.cs5 - 1 / 3) < 1e-12);
  assert.ok(Math.abs(m.genderAccuracy - 2 / 3) < 1e-12);
  // 30 and 33 both '25-32' (33 is nearer 32 than 38); 10 -> '8-12' and 20 -> '15-20', next buckets; 70 and 64 both '60-100'.
  assert.ok(Math.abs(m.bucketExact - 2 / 3) < 1e-12);
  assert.equal(m.bucketOneOff, 1);
});

test('a missed face is an error, not dropped', () => {
  const missed: AttributeOutcome = { trueAge: 50, trueGender: 'female', detected: false };
  const m = attributeMetrics([face(30, 30, 'female', 'female'), missed]);
  assert.equal(m.detected, 1);
  assert.equal(m.genderAccuracy, 0.5);
  assert.equal(m.ageMae, Math.abs(MISSED_FACE_AGE - 50) / 2);
  assert.equal(m.ageMaeFound, 0);
  assert.equal(m.cs5, 0.5);
  assert.equal(m.bucketOneOff, 0.5);
});

test('range coverage and width', () => {
  const m = attributeMetrics([{ ...face(30, 31, 'male', 'male'), ageRange: [25, 35] }, { ...face(50, 40, 'male', 'male'), ageRange: [35, 45] }]);
  assert.equal(m.rangeCoverage, 0.5);
  assert.equal(m.rangeMeanWidth, 10);
});

test('calibration error: perfect at matched confidence, large when overconfident', () => {
  const calibrated = Array.from({ length: 10 }, (_, i) => ({ confidence: 0.8, correct: i < 8 }));
  assert.ok(expectedCalibrationError(calibrated) < 1e-12);
  const overconfident = Array.from({ length: 10 }, (_, i) => ({ confidence: 0.99, correct: i < 5 }));
  assert.ok(Math.abs(expectedCalibrationError(overconfident) - 0.49) < 1e-9);
});

test('age bands by true age', () => {
  assert.deepEqual([0, 12, 12.5, 13, 19, 20, 39, 40, 59, 60, 116].map(ageBandOf), ['0-12', '0-12', '0-12', '13-19', '13-19', '20-39', '20-39', '40-59', '40-59', '60+', '60+']);
  const { byBand } = attributeReport([face(5, 6, 'male', 'male'), face(65, 60, 'male', 'female')]);
  assert.equal(byBand['0-12'].faces, 1);
  assert.equal(byBand['60+'].genderAccuracy, 0);
  assert.equal(byBand['20-39'].faces, 0);
});
