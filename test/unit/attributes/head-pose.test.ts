import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headPose, MODEL_POINTS } from '../../../src/attributes/head-pose.js';
import { projectFace } from '../../helpers/synthetic-face.js';

/** The model points turned and projected (test/helpers/synthetic-face.ts). */
const project = (yaw: number, pitch: number, roll: number) => projectFace(MODEL_POINTS, yaw, pitch, roll);

const cases: [number, number, number][] = [[0, 0, 0], [30, 0, 0], [-30, 0, 0], [0, 20, 0], [0, -20, 0], [0, 0, 25], [0, 0, -25], [20, -10, 15]];
for (const [yaw, pitch, roll] of cases) {
  test(`recovers yaw ${yaw}, pitch ${pitch}, roll ${roll} from the projected model`, () => {
    const found = headPose(project(yaw, pitch, roll));
    assert.ok(Math.abs(found.yaw - yaw) < 0.5, `yaw ${found.yaw}`);
    assert.ok(Math.abs(found.pitch - pitch) < 0.5, `pitch ${found.pitch}`);
    assert.ok(Math.abs(found.roll - roll) < 0.5, `roll ${found.roll}`);
  });
}

test('a mirrored face flips yaw and roll and keeps pitch', () => {
  const points = project(25, 10, 12);
  // Mirror: x -> -x, and the iBUG left/right points swap places.
  const swaps: Record<number, number> = { 17: 26, 21: 22, 31: 35, 36: 45, 39: 42, 48: 54 };
  const mirrored = [...points];
  for (const [a, b] of Object.entries(swaps).map(([a, b]) => [Number(a), b])) {
    mirrored[a!] = [-points[b!]![0], points[b!]![1]];
    mirrored[b!] = [-points[a!]![0], points[a!]![1]];
  }
  for (const i of [27, 30, 33, 51, 57, 8]) mirrored[i] = [-points[i]![0], points[i]![1]];
  const found = headPose(mirrored);
  assert.ok(Math.abs(found.yaw + 25) < 0.5 && Math.abs(found.pitch - 10) < 0.5 && Math.abs(found.roll + 12) < 0.5, JSON.stringify(found));
});
