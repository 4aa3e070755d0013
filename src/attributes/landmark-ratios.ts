/**
 * How open the eyes and the mouth are, from the landmark model's 68 points
 * (iBUG order), as ratios of distances in the same face so that its size in
 * the photo does not matter, and the probability each ratio gives.
 *
 * - Eyes: the eye aspect ratio (Soukupová and Čech 2016): the two lid-to-lid
 *   heights over the corner-to-corner width, both eyes averaged. A head
 *   turned sideways shortens the eyes' width by cos(yaw) but not their
 *   height, so the ratio is multiplied by cos(yaw) (head-pose.ts). Measured
 *   on 3,894 UTKFace and All-Age-Faces faces: the plain ratio's median rises
 *   from 0.294 (|yaw| < 10) to 0.365 (|yaw| 30-60), the corrected one stays
 *   0.293-0.301.
 * - Mouth: the gap between the inner lips (three heights) over the nose's
 *   length (top of the bridge to its base): both are vertical, so yaw leaves
 *   them alike and pitch shortens them alike, and the nose does not stretch
 *   when the mouth smiles (the mouth's own width does).
 *
 * - Smile shape (smile.ts): the mouth's width (outer corners) over the
 *   distance between the eyes' centres, and how far the corners sit above
 *   the lips' middle, across the face (perpendicular to the eye line, so
 *   roll does not matter), over the nose's length.
 *
 * The probabilities are logistic curves fitted (class-balanced) on faces
 * labelled by eye, listed in test/fixtures/eyes-mouth-labels.ts; the README's
 * "Eyes and mouth" section gives the measured accuracy.
 */
import type { Point } from '../types.js';

const distance = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);
const at = (points: readonly Point[], i: number): Point => points[i] ?? [NaN, NaN];

/** Where the logistic is 0.5 (the ratio) and how steep it is (per unit of ratio). */
export interface RatioCurve {
  midpoint: number;
  slope: number;
}

/** Fitted on 145 labelled faces' eyes (124 open, 21 closed). */
export const EYES_CURVE: RatioCurve = { midpoint: 0.2553, slope: 49.8 };
/** Fitted on 113 labelled faces' mouths (67 open, 46 closed). */
export const MOUTH_CURVE: RatioCurve = { midpoint: 0.1103, slope: 47.5 };

/** The probability of "open" a ratio gives. */
export const openProbability = (ratio: number, curve: RatioCurve) => 1 / (1 + Math.exp(-curve.slope * (ratio - curve.midpoint)));

/** Cosine of the yaw used to undo foreshortening; beyond 60 degrees the far eye hides and no correction is trusted. */
const yawCosine = (yawDegrees: number) => Math.max(0.5, Math.cos((yawDegrees * Math.PI) / 180));

/**
 * Eye aspect ratio of both eyes (mean), times cos(yaw).
 *
 * @example eyeRatio(points68, pose.yaw) // 0.29 (open), 0.2 (closed)
 */
export function eyeRatio(points68: readonly Point[], yawDegrees: number): number {
  const p = (i: number) => at(points68, i);
  // Subject's right eye: corners 36, 39; upper lid 37, 38 over lower lid 41, 40. Left eye: 42, 45; 43, 44 over 47, 46.
  const right = (distance(p(37), p(41)) + distance(p(38), p(40))) / (2 * distance(p(36), p(39)));
  const left = (distance(p(43), p(47)) + distance(p(44), p(46))) / (2 * distance(p(42), p(45)));
  return ((right + left) / 2) * yawCosine(yawDegrees);
}

/**
 * The inner lips' gap over the nose's length.
 *
 * @example mouthRatio(points68) // 0.02 (closed), 0.3 (open)
 */
export function mouthRatio(points68: readonly Point[]): number {
  const p = (i: number) => at(points68, i);
  // Inner lips: 61, 62, 63 above 67, 66, 65. Nose: 27 (top of the bridge) to 33 (base).
  const gap = (distance(p(61), p(67)) + distance(p(62), p(66)) + distance(p(63), p(65))) / 3;
  return gap / distance(p(27), p(33));
}

const mean = (points: readonly Point[]): Point => [points.reduce((s, p) => s + p[0], 0) / points.length, points.reduce((s, p) => s + p[1], 0) / points.length];

/**
 * The mouth's shape for `smile`: `width` = outer corners' distance over the eyes' centres' distance;
 * `lift` = how far the corners are above the lips' middle (upwards in the face) over the nose's length.
 *
 * @example smileShape(points68) // { width: 0.93, lift: 0.11 } (a broad smile); { width: 0.75, lift: 0 } (lips at rest)
 */
export function smileShape(points68: readonly Point[]): { width: number; lift: number } {
  const p = (i: number) => at(points68, i);
  const rightEye = mean([36, 37, 38, 39, 40, 41].map(p));
  const leftEye = mean([42, 43, 44, 45, 46, 47].map(p));
  const eyes = distance(rightEye, leftEye);
  // The face's "down", perpendicular to the eye line (image y grows downwards).
  const down: Point = [-(leftEye[1] - rightEye[1]) / eyes, (leftEye[0] - rightEye[0]) / eyes];
  // The lips' middle: outer and inner, upper and lower (51, 62, 66, 57).
  const middle = mean([51, 62, 66, 57].map(p));
  const below = (corner: Point) => (middle[0] - corner[0]) * down[0] + (middle[1] - corner[1]) * down[1];
  return { width: distance(p(48), p(54)) / eyes, lift: (below(p(48)) + below(p(54))) / 2 / distance(p(27), p(33)) };
}
