/**
 * Which of the faces found in a photo is the labelled one. Attribute data
 * sets label one face a photo, but a photo may show others (a parent
 * holding a child): take the faces whose box holds the reference point
 * (the centre of the labelled landmarks, or of the photo), then the largest.
 */
import type { Box, FaceResult, Point } from '../types.js';

const contains = (box: Box, [x, y]: Point) => x >= box.x && x <= box.x + box.width && y >= box.y && y <= box.y + box.height;
const area = (box: Box) => box.width * box.height;

/** The mean of some points. */
export function centroid(points: readonly Point[]): Point {
  const sum = points.reduce<Point>(([sx, sy], [x, y]) => [sx + x, sy + y], [0, 0]);
  return [sum[0] / points.length, sum[1] / points.length];
}

/**
 * @example
 *   pickLabelledFace(result.faces, [100, 100]); // the largest face whose box holds (100, 100), else the largest face
 */
export function pickLabelledFace<T extends Pick<FaceResult, 'box'>>(faces: readonly T[], reference: Point): T | undefined {
  const holding = faces.filter((f) => contains(f.box, reference));
  const pool = holding.length > 0 ? holding : faces;
  return pool.reduce<T | undefined>((best, face) => (!best || area(face.box) > area(best.box) ? face : best), undefined);
}
