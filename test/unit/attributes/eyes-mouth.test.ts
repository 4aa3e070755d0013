/**
 * `eyes` and `mouth` on synthetic faces (test/helpers/synthetic-face.ts):
 * the probability of open falls strictly as the lids close and rises as the
 * lips part; the answer flips on the way; head size, roll and yaw (up to 40
 * degrees) barely move the ratios, while the plain eye aspect ratio grows
 * with yaw (which is why it is corrected).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eyes } from '../../../src/attributes/eyes.js';
import { eyeRatio, mouthRatio } from '../../../src/attributes/landmark-ratios.js';
import { mouth } from '../../../src/attributes/mouth.js';
import { probabilityOpen, type OpenState } from '../../../src/attributes/open-state.js';
import type { ComputedSource } from '../../../src/attributes/attribute-definition.js';
import type { Point } from '../../../src/types.js';
import { faceModel, projectFace } from '../../helpers/synthetic-face.js';

const measure = (definition: typeof eyes | typeof mouth, points68: Point[]): OpenState => {
  const value = (definition.source as ComputedSource<OpenState>).compute({ image: { data: new Uint8Array(3), width: 1, height: 1 }, box: { x: 0, y: 0, width: 1, height: 1 }, points68, roll: 0 });
  assert.ok(value);
  return value;
};
const face = (eyeOpening: number, lipGap: number, yaw = 0, pitch = 0, roll = 0, scale = 2) => projectFace(faceModel(eyeOpening, lipGap), yaw, pitch, roll, scale);

test('eyes: the probability of open falls strictly as the lids close, and the answer turns to closed', () => {
  const openings = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
  const p = openings.map((h) => probabilityOpen(measure(eyes, face(h, 0))));
  for (let k = 1; k < p.length; k++) assert.ok(p[k]! < p[k - 1]!, `opening ${openings[k]}: ${p}`);
  assert.ok(measure(eyes, face(9, 0)).open && p[1]! > 0.9, `wide open: ${p[1]}`);
  assert.ok(!measure(eyes, face(2, 0)).open && p[8]! < 0.1, `nearly shut: ${p[8]}`);
});

test('mouth: the probability of open rises strictly as the lips part, and the answer turns to open', () => {
  const gaps = [0, 2, 4, 6, 8, 10, 15, 20];
  const p = gaps.map((g) => probabilityOpen(measure(mouth, face(9, g))));
  for (let k = 1; k < p.length; k++) assert.ok(p[k]! > p[k - 1]!, `gap ${gaps[k]}: ${p}`);
  assert.ok(!measure(mouth, face(9, 0)).open && measure(mouth, face(9, 15)).open);
});

test('head size and roll do not change the ratios', () => {
  for (const [h, g] of [[9, 0], [3, 12]] as const) {
    const base = face(h, g);
    for (const other of [face(h, g, 0, 0, 0, 0.5), face(h, g, 0, 0, 0, 6), face(h, g, 0, 0, 30), face(h, g, 0, 0, -75, 3)]) {
      assert.ok(Math.abs(eyeRatio(other, 0) - eyeRatio(base, 0)) < 1e-9);
      assert.ok(Math.abs(mouthRatio(other) - mouthRatio(base)) < 1e-9);
    }
  }
});

test('yaw: the plain eye aspect ratio grows as the head turns, the corrected one stays within 5%', () => {
  const front = measure(eyes, face(8, 6)).ratio;
  const frontMouth = measure(mouth, face(8, 6)).ratio;
  for (const yaw of [-40, -25, 25, 40]) {
    const turned = face(8, 6, yaw);
    const plain = eyeRatio(turned, 0);
    assert.ok(plain > front * 1.1, `yaw ${yaw}: plain ${plain} vs ${front}`);
    const corrected = measure(eyes, turned).ratio;
    assert.ok(Math.abs(corrected / front - 1) < 0.05, `yaw ${yaw}: ${corrected} vs ${front}`);
    assert.ok(Math.abs(measure(mouth, turned).ratio / frontMouth - 1) < 0.05, `yaw ${yaw}: mouth`);
  }
});

test('the answer states the probability of itself, at least one half', () => {
  for (const h of [0, 4, 5, 6, 9]) {
    const value = measure(eyes, face(h, 0));
    assert.ok(value.probability >= 0.5 && value.probability <= 1, JSON.stringify(value));
    assert.deepEqual(eyes.toResult(value, { x: 1, y: 1 }), { open: value.open, probability: Math.round(value.probability * 1e4) / 1e4, ratio: Math.round(value.ratio * 1e4) / 1e4 });
  }
});
