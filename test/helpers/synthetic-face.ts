/**
 * 68-point faces made from 3D points: turned by yaw, pitch and roll and
 * projected orthographically into an image (y down), for tests of what is
 * computed from landmarks. `faceModel` adds eye lids and inner lips to the
 * head-pose model points, with the eyes' and mouth's opening chosen.
 */
import { MODEL_POINTS } from '../../src/attributes/head-pose.js';
import type { Point } from '../../src/types.js';

type Vec3 = [number, number, number];
const rad = (d: number) => (d * Math.PI) / 180;

/** The points turned by yaw (about y), then pitch (about x), then roll (clockwise on screen), projected; indices not given are [0, 0]. */
export function projectFace(model: ReadonlyMap<number, Vec3>, yaw: number, pitch: number, roll: number, scale = 2, centre: Point = [300, 200]): Point[] {
  const points: Point[] = new Array(68).fill([0, 0]);
  for (const [i, [x0, y0, z0]] of model) {
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

/**
 * The head-pose model points plus lids (eyes open by `eyeOpening` mm, about 9 wide open on a 29 mm
 * eye) and inner lips (apart by `lipGap` mm), in the same millimetres.
 */
export function faceModel(eyeOpening: number, lipGap: number): Map<number, Vec3> {
  const model = new Map(MODEL_POINTS);
  // Each eye: outer and inner corner, lids at a third and two thirds of the way, bulging 2 mm forward.
  const eye = (outer: number, inner: number, upper: [number, number], lower: [number, number]) => {
    const a = MODEL_POINTS.get(outer)!;
    const b = MODEL_POINTS.get(inner)!;
    for (const [k, t] of [[0, 1 / 3], [1, 2 / 3]] as const) {
      const x = a[0] + (b[0] - a[0]) * t;
      const z = a[2] + (b[2] - a[2]) * t + 2;
      model.set(upper[k], [x, a[1] + eyeOpening / 2, z]);
      model.set(lower[k], [x, a[1] - eyeOpening / 2, z]);
    }
  };
  eye(36, 39, [37, 38], [41, 40]);
  eye(45, 42, [44, 43], [46, 47]);
  // Inner lips: corners 60, 64; 61, 62, 63 above 67, 66, 65.
  const y = -38;
  model.set(60, [-21, y, -28]);
  model.set(64, [21, y, -28]);
  for (const [top, bottom, x, z] of [[61, 67, -10, -18], [62, 66, 0, -15], [63, 65, 10, -18]] as const) {
    model.set(top, [x, y + lipGap / 2, z]);
    model.set(bottom, [x, y - lipGap / 2, z]);
  }
  return model;
}
