/**
 * Head pose from the 68 landmarks: a scaled-orthographic PnP fit (POS,
 * DeMenthon and Davis 1995) of the points to a generic 3D face written here.
 *
 * The model points (millimetres, origin at the nose tip; x to the image's
 * right for a face looking at the camera, y up, z towards the camera) are
 * rounded adult averages for points that stay put when the head turns:
 * brows, eye corners, nose bridge, tip, nostrils and base, mouth corners,
 * lip middles and chin (18 points). The jaw line (points 0-16 but the chin) is left
 * out: it is the face's outline, which slides over the head as it turns.
 * Scaled orthography suits faces far from the camera compared with their
 * depth (about 10 cm): photos and webcams beyond half a metre.
 *
 * Conventions (degrees):
 * - yaw > 0: the nose points to the image's right (the subject turns to
 *   their own left); a mirrored photo flips its sign.
 * - pitch > 0: the nose points up (the subject looks up).
 * - roll > 0: the face is turned clockwise in the image (its image-right
 *   eye lower), as level-faces.ts measures it.
 */
import type { Point } from '../types.js';

type Vec3 = [number, number, number];

/** iBUG index -> model point. */
export const MODEL_POINTS: ReadonlyMap<number, Vec3> = new Map<number, Vec3>([
  [17, [-55, 68, -48]], [21, [-13, 68, -30]], [22, [13, 68, -30]], [26, [55, 68, -48]],
  [27, [0, 46, -26]], [30, [0, 0, 0]], [31, [-14, -9, -18]], [33, [0, -13, -12]], [35, [14, -9, -18]],
  [36, [-45, 44, -40]], [39, [-16, 44, -33]], [42, [16, 44, -33]], [45, [45, 44, -40]],
  [48, [-25, -38, -30]], [51, [0, -27, -14]], [54, [25, -38, -30]], [57, [0, -48, -17]], [8, [0, -85, -32]],
]);

export interface HeadPose {
  yaw: number;
  pitch: number;
  roll: number;
}

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const scaled = (a: Vec3, k: number): Vec3 => [a[0] * k, a[1] * k, a[2] * k];
const norm = (a: Vec3) => Math.sqrt(dot(a, a));
const degrees = (radians: number) => (radians * 180) / Math.PI;

/** Inverse of a symmetric 3x3 matrix (rows). */
function invert3(m: number[][]): number[][] {
  const [a, b, c] = m[0]!;
  const [d, e, f] = m[1]!;
  const [g, h, i] = m[2]!;
  const A = e! * i! - f! * h!;
  const B = -(d! * i! - f! * g!);
  const C = d! * h! - e! * g!;
  const det = a! * A + b! * B + c! * C;
  return [
    [A / det, -(b! * i! - c! * h!) / det, (b! * f! - c! * e!) / det],
    [B / det, (a! * i! - c! * g!) / det, -(a! * f! - c! * d!) / det],
    [C / det, -(a! * h! - b! * g!) / det, (a! * e! - b! * d!) / det],
  ];
}

/**
 * The head's yaw, pitch and roll from its 68 landmarks (image pixels, y down).
 *
 * @example headPose(points68) // { yaw: -12.3, pitch: 4.1, roll: 2.0 }
 */
export function headPose(points68: readonly Point[]): HeadPose {
  const ids = [...MODEL_POINTS.keys()];
  const model = ids.map((i) => MODEL_POINTS.get(i)!);
  // Image y down -> y up, so both frames are right-handed with z towards the camera.
  const image = ids.map((i): [number, number] => [points68[i]![0], -points68[i]![1]]);
  const n = ids.length;
  const mc: Vec3 = [0, 1, 2].map((k) => model.reduce((s, p) => s + p[k]!, 0) / n) as Vec3;
  const ic = [0, 1].map((k) => image.reduce((s, p) => s + p[k]!, 0) / n) as [number, number];
  const X = model.map((p) => [p[0] - mc[0], p[1] - mc[1], p[2] - mc[2]] as Vec3);
  const x = image.map((p) => [p[0] - ic[0], p[1] - ic[1]] as const);
  // Least squares A (2x3) with x_i = A X_i: A = (sum x_i X_i^T)(sum X_i X_i^T)^-1.
  const xx = [0, 1, 2].map((r) => [0, 1, 2].map((c) => X.reduce((s, p) => s + p[r]! * p[c]!, 0)));
  const inv = invert3(xx);
  const rows = [0, 1].map((r) => {
    const b = [0, 1, 2].map((c) => X.reduce((s, p, k) => s + x[k]![r]! * p[c]!, 0));
    return [0, 1, 2].map((c) => b[0]! * inv[0]![c]! + b[1]! * inv[1]![c]! + b[2]! * inv[2]![c]!) as Vec3;
  });
  // The two rows of a rotation times one scale: make them unit and orthogonal, splitting the difference evenly.
  let r1 = scaled(rows[0]!, 1 / norm(rows[0]!));
  let r2 = scaled(rows[1]!, 1 / norm(rows[1]!));
  const bisector: Vec3 = [r1[0] + r2[0], r1[1] + r2[1], r1[2] + r2[2]];
  const other = cross(cross(r1, r2), bisector);
  const b = scaled(bisector, 1 / norm(bisector));
  const o = scaled(other, 1 / norm(other));
  // o points along r2 - r1 (n x r1 = r2, n x r2 = -r1 with n = r1 x r2).
  r1 = scaled([b[0] - o[0], b[1] - o[1], b[2] - o[2]], Math.SQRT1_2);
  r2 = scaled([b[0] + o[0], b[1] + o[1], b[2] + o[2]], Math.SQRT1_2);
  const r3 = cross(r1, r2);
  // R (rows r1, r2, r3) = Rz(roll) Rx(pitch) Ry(yaw): yaw first, in the face's own frame, then pitch,
  // then roll in the image. Rx Ry has a zero at [0][1], which fixes roll; undoing it leaves Rx Ry.
  const ccw = Math.atan2(-r1[1], r2[1]);
  const c = Math.cos(ccw);
  const s = Math.sin(ccw);
  const row0: Vec3 = [c * r1[0] + s * r2[0], c * r1[1] + s * r2[1], c * r1[2] + s * r2[2]];
  const row1: Vec3 = [-s * r1[0] + c * r2[0], -s * r1[1] + c * r2[1], -s * r1[2] + c * r2[2]];
  const yaw = degrees(Math.atan2(row0[2], row0[0]));
  const pitch = degrees(Math.atan2(-r3[1], row1[1]));
  // Counter-clockwise in a y-up frame is counter-clockwise on screen: clockwise is the negative.
  const roll = -degrees(ccw);
  return { yaw, pitch, roll };
}
