import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combineAge, combineGender } from '../../../../src/pipeline/attributes/combine-predictions.js';

test('one model: its prediction unchanged; none: undefined', () => {
  assert.deepEqual(combineGender([{ gender: { label: 'female', probability: 0.8 } }]), { label: 'female', probability: 0.8 });
  assert.equal(combineGender([undefined, {}]), undefined);
  assert.deepEqual(combineAge([{ ageYears: 40, ageRange: [30, 50] }]), { ageYears: 40, ageRange: [30, 50] });
  assert.equal(combineAge([{}]), undefined);
});

test('gender: the mean male probability decides', () => {
  const g = combineGender([{ gender: { label: 'male', probability: 0.9 } }, { gender: { label: 'female', probability: 0.6 } }])!;
  assert.equal(g.label, 'male');
  assert.ok(Math.abs(g.probability - 0.65) < 1e-12);
  const f = combineGender([{ gender: { label: 'male', probability: 0.55 } }, { gender: { label: 'female', probability: 0.95 } }])!;
  assert.equal(f.label, 'female');
  assert.ok(Math.abs(f.probability - 0.7) < 1e-12);
});

test('age: mean years; range only when every model gives one', () => {
  assert.deepEqual(combineAge([{ ageYears: 30, ageRange: [25, 36] }, { ageYears: 34, ageRange: [29, 40] }]), { ageYears: 32, ageRange: [27, 38] });
  assert.deepEqual(combineAge([{ ageYears: 30, ageRange: [25, 36] }, { ageYears: 34 }]), { ageYears: 32 });
});
