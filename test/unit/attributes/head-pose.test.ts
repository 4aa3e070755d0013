import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headPose, MODEL_POINTS } from '../../../src/attributes/head-pose.js';
import type { Point } from '../../../src/types.js';

const rad = (d: number) => (d * Math.PI) / 180;

/** The model points turned by yaw (about y), then pitch (about x), then roll (clockwise on screen), projected orthographically into an image (y down). */
function project(yaw: number, pitch: number, roll: number, scale = 2, centre: Point = [300, 200]): Point[] {
  const points: Point[] = new Array(68).fill([0, 0]);
  for (const [i, [x0, y0, z0]] of MODEL_POINTS) {
    // Yaw: nose (+z) towards +x.
    let x = x0 * Math.cos(rad(yaw)) + z0 * Math.sin(rad(yaw));
    let z = -x0 * Math.sin(rad(yaw)) + z0 * Math.cos(rad(yaw));
    let y = y0;
    // Pitch: nose towards +y (up).
    const y1 = y * Math.cos(rad(pitch)) + z * Math.sin(rad(pitch));
    z = -y * Math.sin(rad(pitch)) + z * Math.cos(rad(pitch));
    y = y1;
    // Roll: clockwise on screen is clockwise in y-down image coordinates after the flip.
    const c = Math.cos(rad(-roll));
    const s = Math.sin(rad(-roll));
    const xr = x * c - y * s;
    const yr = x * s + y * c;
    x = xr;
    y = yr;
    points[i] = [centre[0] + scale * x, centre[1] - scale * y];
  }
  return points;
}

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
