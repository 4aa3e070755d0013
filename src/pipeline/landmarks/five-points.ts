/**
 * FaceRead's five landmarks from the 68 points of the iBUG scheme (what
 * 68-point landmark models give): the pipeline reports these five whatever
 * landmark model found them.
 */
import type { Point } from '../../types.js';

// iBUG 68 indices. The subject's right eye (36-41) is on the image's left.
const IMAGE_LEFT_EYE = [36, 37, 38, 39, 40, 41];
const IMAGE_RIGHT_EYE = [42, 43, 44, 45, 46, 47];
const NOSE_TIP = 30;
const IMAGE_LEFT_MOUTH_CORNER = 48;
const IMAGE_RIGHT_MOUTH_CORNER = 54;

function mean(points: readonly Point[], indices: readonly number[]): Point {
  let x = 0;
  let y = 0;
  for (const i of indices) {
    x += points[i]![0];
    y += points[i]![1];
  }
  return [x / indices.length, y / indices.length];
}

/** Left eye, right eye, nose tip, left and right mouth corner (image's left/right) from the 68 points. */
export function fivePointsOf68(points: readonly Point[]): Point[] {
  return [
    mean(points, IMAGE_LEFT_EYE),
    mean(points, IMAGE_RIGHT_EYE),
    points[NOSE_TIP]!,
    points[IMAGE_LEFT_MOUTH_CORNER]!,
    points[IMAGE_RIGHT_MOUTH_CORNER]!,
  ];
}

