/**
 * Detection accuracy against boxed faces: average precision at IoU 0.5
 * (all-point interpolation, as PASCAL VOC since 2010) and the recall
 * reached while precision stays at or above 0.9, overall or for one face
 * size range. A detection that matches an ignored face (invalid, too small,
 * or outside the size range) is neither right nor wrong.
 */
import type { Box } from '../../types.js';
import type { TruthBox } from '../datasets/dataset-types.js';
import { iou, type Corners } from '../../pipeline/nms.js';

export interface ScoredBox {
  box: Box;
  score: number;
}

/** One photo: its true faces and what the detector found. */
export interface DetectionOutcome {
  truth: readonly TruthBox[];
  detections: readonly ScoredBox[];
}

/** Face sizes by the box's larger side in pixels. */
export const SIZE_RANGES = [
  { label: 'small', min: 0, max: 32 },
  { label: 'medium', min: 32, max: 96 },
  { label: 'large', min: 96, max: Infinity },
] as const;

export interface DetectionMetrics {
  /** Faces that count (not ignored, in range). */
  faces: number;
  detections: number;
  ap50: number;
  /** Highest recall with precision >= 0.9 (0 when precision never reaches it). */
  recallAtPrecision90: number;
  /** Recall with every detection kept. */
  maxRecall: number;
}

const corners = (b: Box): Corners => ({ x1: b.x, y1: b.y, x2: b.x + b.width, y2: b.y + b.height });
const sideOf = (b: Box) => Math.max(b.width, b.height);

/** Each detection of a photo as true positive, false positive or ignored (score kept for ranking). */
function matchPhoto(outcome: DetectionOutcome, threshold: number, min: number, max: number) {
  const inRange = (b: Box) => sideOf(b) >= min && sideOf(b) < max;
  const truth = outcome.truth.map((t) => ({ corners: corners(t.box), counts: !t.ignore && inRange(t.box), taken: false }));
  const sorted = [...outcome.detections].sort((a, b) => b.score - a.score);
  const marks: { score: number; hit: boolean }[] = [];
  for (const detection of sorted) {
    const box = corners(detection.box);
    // Prefer a counting face; only then see whether it covers an ignored one.
    let best = -1;
    let bestIou = threshold;
    truth.forEach((t, k) => {
      const overlap = iou(box, t.corners);
      if (t.counts && !t.taken && overlap >= bestIou) (best = k), (bestIou = overlap);
    });
    if (best >= 0) {
      truth[best]!.taken = true;
      marks.push({ score: detection.score, hit: true });
      continue;
    }
    const coversIgnored = truth.some((t) => !t.counts && iou(box, t.corners) >= threshold);
    if (!coversIgnored && inRange(detection.box)) marks.push({ score: detection.score, hit: false });
  }
  return { marks, faces: truth.filter((t) => t.counts).length };
}

/**
 * AP and recall figures over photos, for faces whose larger side is in [minSize, maxSize).
 *
 * @example
 *   detectionMetrics([{ truth: [{ box: { x: 0, y: 0, width: 50, height: 50 }, ignore: false }], detections: [{ box: { x: 2, y: 0, width: 50, height: 50 }, score: 0.9 }] }]);
 *   // { faces: 1, detections: 1, ap50: 1, recallAtPrecision90: 1, maxRecall: 1 }
 */
export function detectionMetrics(outcomes: readonly DetectionOutcome[], options: { iouThreshold?: number; minSize?: number; maxSize?: number } = {}): DetectionMetrics {
  const { iouThreshold = 0.5, minSize = 0, maxSize = Infinity } = options;
  const marks: { score: number; hit: boolean }[] = [];
  let faces = 0;
  for (const outcome of outcomes) {
    const photo = matchPhoto(outcome, iouThreshold, minSize, maxSize);
    marks.push(...photo.marks);
    faces += photo.faces;
  }
  marks.sort((a, b) => b.score - a.score);
  const precision: number[] = [];
  const recall: number[] = [];
  let hits = 0;
  marks.forEach((mark, i) => {
    if (mark.hit) hits++;
    precision.push(hits / (i + 1));
    recall.push(faces === 0 ? 0 : hits / faces);
  });
  return { faces, detections: marks.length, ap50: averagePrecision(precision, recall), recallAtPrecision90: recallAtPrecision(precision, recall, 0.9), maxRecall: recall.at(-1) ?? 0 };
}

/** Area under the precision envelope (precision made non-increasing from the right). */
export function averagePrecision(precision: readonly number[], recall: readonly number[]): number {
  const envelope = [...precision];
  for (let i = envelope.length - 2; i >= 0; i--) envelope[i] = Math.max(envelope[i]!, envelope[i + 1]!);
  let area = 0;
  let previousRecall = 0;
  envelope.forEach((p, i) => {
    area += (recall[i]! - previousRecall) * p;
    previousRecall = recall[i]!;
  });
  return area;
}

function recallAtPrecision(precision: readonly number[], recall: readonly number[], floor: number): number {
  let best = 0;
  precision.forEach((p, i) => {
    if (p >= floor) best = Math.max(best, recall[i]!);
  });
  return best;
}

/**
 * Metrics overall and for each size range.
 *
 * @example
 *   const { overall, bySize } = detectionReport(outcomes);
 *   bySize.small.ap50;
 */
export function detectionReport(outcomes: readonly DetectionOutcome[], iouThreshold = 0.5) {
  const bySize = Object.fromEntries(
    SIZE_RANGES.map((r) => [r.label, detectionMetrics(outcomes, { iouThreshold, minSize: r.min, maxSize: r.max })]),
  ) as Record<(typeof SIZE_RANGES)[number]['label'], DetectionMetrics>;
  return { overall: detectionMetrics(outcomes, { iouThreshold }), bySize };
}
