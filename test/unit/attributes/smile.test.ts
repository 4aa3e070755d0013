/**
 * `smile` on synthetic faces (test/helpers/synthetic-face.ts): its
 * probability rises strictly with the expression network's `happy`, with
 * the mouth's corners raised and with the mouth widened; the mouth's shape
 * alone does not depend on the head's size or roll; without an expression
 * there is no answer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ComputedSource } from '../../../src/attributes/attribute-definition.js';
import { smileShape } from '../../../src/attributes/landmark-ratios.js';
import { smile, smileProbability, type SmileResult } from '../../../src/attributes/smile.js';
import type { Point } from '../../../src/types.js';
import { faceModel, projectFace } from '../../helpers/synthetic-face.js';

/** A face whose outer mouth corners (48, 54) are raised by `lift` mm and moved out by `wider` mm each. */
function face(lift: number, wider = 0, roll = 0, scale = 2): Point[] {
  const model = faceModel(9, 4);
  const [x48, y48, z48] = model.get(48)!;
  const [x54, y54, z54] = model.get(54)!;
  model.set(48, [x48 - wider, y48 + lift, z48]);
  model.set(54, [x54 + wider, y54 + lift, z54]);
  return projectFace(model, 0, 0, roll, scale);
}

const compute = (points68: Point[], happy?: number): SmileResult | undefined => {
  const expression = happy === undefined ? undefined : { label: 'happy', probability: happy, probabilities: { happy } };
  return (smile.source as ComputedSource<SmileResult>).compute({
    image: { data: new Uint8Array(3), width: 1, height: 1 }, box: { x: 0, y: 0, width: 1, height: 1 }, points68, roll: 0, ...(expression ? { answered: { expression } } : {}),
  });
};
const increasing = (xs: number[]) => xs.every((x, k) => k === 0 || x > xs[k - 1]!);

test('the probability of a smile rises strictly with happy, with the corners raised and with the mouth widened', () => {
  const happies = [0.001, 0.05, 0.3, 0.5, 0.7, 0.95, 0.999];
  assert.ok(increasing(happies.map((h) => smileProbability(h, face(0)))), 'happy');
  const lifts = [-6, -3, 0, 3, 6, 9];
  assert.ok(increasing(lifts.map((l) => smileProbability(0.5, face(l)))), 'lift');
  const widths = [-4, -2, 0, 2, 4, 6];
  assert.ok(increasing(widths.map((w) => smileProbability(0.5, face(0, w)))), 'width');
  // The network's answer weighs most: a sure "happy" smiles with the lips at rest, a sure "not happy" does not with them raised.
  assert.equal(compute(face(0), 0.999)!.smiling, true);
  assert.equal(compute(face(6), 0.001)!.smiling, false);
});

test('the mouth shape does not change with the head size or roll; raised corners measure a positive lift', () => {
  const base = smileShape(face(5));
  assert.ok(base.lift > 0 && smileShape(face(-5)).lift < 0, JSON.stringify(base));
  for (const other of [face(5, 0, 0, 0.5), face(5, 0, 0, 7), face(5, 0, 35), face(5, 0, -100, 3)]) {
    const shape = smileShape(other);
    assert.ok(Math.abs(shape.width - base.width) < 1e-9 && Math.abs(shape.lift - base.lift) < 1e-9, JSON.stringify(shape));
  }
});

test('no expression, no smile; the answer states its own probability', () => {
  assert.equal(compute(face(3)), undefined);
  for (const h of [0.01, 0.4, 0.6, 0.99]) {
    const value = compute(face(3), h)!;
    assert.ok(value.probability >= 0.5 && value.probability <= 1);
    assert.equal(value.smiling, smileProbability(h, face(3)) >= 0.5);
  }
});
