/**
 * Greedy non-maximum suppression shared by every detector: keep the best
 * scoring box, drop the boxes that overlap it too much, repeat. Works on
 * corner boxes in any one coordinate system (pixels or 0..1).
 */

/** An axis-aligned box by its corners; x1/x2 and y1/y2 may come in either order. */
export interface Corners {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface NmsOptions {
  /** A box is dropped when its IoU with a kept box is strictly above this (0..1). */
  iouThreshold: number;
  /** Only boxes scoring strictly above this are considered. */
  scoreThreshold: number;
  /** Stop after keeping this many. */
  maxOutputs: number;
}

/**
 * Intersection over union of two boxes; 0 when either has no area.
 *
 * @example
 *   iou({ x1: 0, y1: 0, x2: 2, y2: 2 }, { x1: 1, y1: 0, x2: 3, y2: 2 }); // 1/3
 */
export function iou(a: Corners, b: Corners): number {
  const ax1 = Math.min(a.x1, a.x2), ax2 = Math.max(a.x1, a.x2), ay1 = Math.min(a.y1, a.y2), ay2 = Math.max(a.y1, a.y2);
  const bx1 = Math.min(b.x1, b.x2), bx2 = Math.max(b.x1, b.x2), by1 = Math.min(b.y1, b.y2), by2 = Math.max(b.y1, b.y2);
  const areaA = (ax2 - ax1) * (ay2 - ay1);
  const areaB = (bx2 - bx1) * (by2 - by1);
  if (areaA <= 0 || areaB <= 0) return 0;
  const overlap = Math.max(0, Math.min(ax2, bx2) - Math.max(ax1, bx1)) * Math.max(0, Math.min(ay2, by2) - Math.max(ay1, by1));
  return overlap / (areaA + areaB - overlap);
}

/**
 * Indices of the boxes to keep, best score first. Ties keep input order.
 * Same decisions as face-api's and TF's greedy NMS: candidates must score
 * above `scoreThreshold`, and a candidate is dropped when its IoU with any
 * kept box exceeds `iouThreshold`.
 *
 * @example
 *   const keep = nonMaxSuppression(boxes, scores, { iouThreshold: 0.5, scoreThreshold: 0.5, maxOutputs: 100 });
 *   const faces = keep.map((i) => boxes[i]);
 */
export function nonMaxSuppression(boxes: readonly Corners[], scores: ArrayLike<number>, options: NmsOptions): number[] {
  const { iouThreshold, scoreThreshold, maxOutputs } = options;
  if (boxes.length !== scores.length) {
    throw new RangeError(`Expected one score per box but received ${scores.length} scores for ${boxes.length} boxes`);
  }
  const candidates: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i]! > scoreThreshold) candidates.push(i);
  candidates.sort((a, b) => scores[b]! - scores[a]! || a - b);
  const kept: number[] = [];
  for (const candidate of candidates) {
    if (kept.length >= maxOutputs) break;
    const box = boxes[candidate]!;
    if (kept.every((k) => iou(box, boxes[k]!) <= iouThreshold)) kept.push(candidate);
  }
  return kept;
}
