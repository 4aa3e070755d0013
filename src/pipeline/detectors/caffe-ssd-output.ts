/**
 * SSD's DetectionOutput layer in TypeScript, as Caffe and OpenCV run it:
 * decode every prior's box with its variances, then per class keep the
 * `topK` best candidates above the confidence threshold, greedy NMS, and
 * finally the `keepTopK` best over all classes. Works on the raw outputs
 * of a model converted by `convertCaffeNet` (`loc`, `conf`, `priors`).
 */
import type { DetectionParams } from '../../convert/caffe/detection-output-params.js';
import { nonMaxSuppression, type Corners } from '../nms.js';

/** One detection in normalised image coordinates (0..1 unless the boxes leave the image). */
export interface SsdDetection {
  label: number;
  score: number;
  box: Corners;
}

const f = Math.fround;

/**
 * Decodes the box of prior `i`; float32 steps, as OpenCV's `DecodeBBox`.
 * `priors` holds all boxes first, then all variances.
 */
export function decodeBox(loc: ArrayLike<number>, priors: ArrayLike<number>, i: number, p: DetectionParams): Corners {
  const count = priors.length / 2;
  const [pxmin, pymin, pxmax, pymax] = [0, 1, 2, 3].map((k) => priors[i * 4 + k]!) as [number, number, number, number];
  const variance = p.varianceEncodedInTarget ? [1, 1, 1, 1] : [0, 1, 2, 3].map((k) => priors[count + i * 4 + k]!);
  const [l0, l1, l2, l3] = [0, 1, 2, 3].map((k) => loc[i * 4 + k]!) as [number, number, number, number];
  let box: Corners;
  if (p.codeType === 'CENTER_SIZE') {
    const width = f(pxmax - pxmin);
    const height = f(pymax - pymin);
    const cx = f(f(pxmin + pxmax) * 0.5);
    const cy = f(f(pymin + pymax) * 0.5);
    const centerX = f(f(f(variance[0]! * l0) * width) + cx);
    const centerY = f(f(f(variance[1]! * l1) * height) + cy);
    const w = f(Math.exp(f(variance[2]! * l2)) * width);
    const h = f(Math.exp(f(variance[3]! * l3)) * height);
    box = { x1: f(centerX - f(w * 0.5)), y1: f(centerY - f(h * 0.5)), x2: f(centerX + f(w * 0.5)), y2: f(centerY + f(h * 0.5)) };
  } else if (p.codeType === 'CORNER') {
    box = { x1: f(pxmin + f(variance[0]! * l0)), y1: f(pymin + f(variance[1]! * l1)), x2: f(pxmax + f(variance[2]! * l2)), y2: f(pymax + f(variance[3]! * l3)) };
  } else {
    const width = f(pxmax - pxmin);
    const height = f(pymax - pymin);
    box = {
      x1: f(pxmin + f(f(variance[0]! * l0) * width)),
      y1: f(pymin + f(f(variance[1]! * l1) * height)),
      x2: f(pxmax + f(f(variance[2]! * l2) * width)),
      y2: f(pymax + f(f(variance[3]! * l3) * height)),
    };
  }
  if (p.clip) box = { x1: clamp01(box.x1), y1: clamp01(box.y1), x2: clamp01(box.x2), y2: clamp01(box.y2) };
  return box;
}

const clamp01 = (v: number) => Math.min(Math.max(v, 0), 1);

/** Indices scoring above `threshold`, best first (ties in prior order), at most `topK` (-1: all). */
function bestCandidates(conf: ArrayLike<number>, numClasses: number, label: number, threshold: number, topK: number): number[] {
  const priors = conf.length / numClasses;
  const candidates: number[] = [];
  for (let i = 0; i < priors; i++) if (conf[i * numClasses + label]! > threshold) candidates.push(i);
  candidates.sort((a, b) => conf[b * numClasses + label]! - conf[a * numClasses + label]! || a - b);
  return topK > -1 ? candidates.slice(0, topK) : candidates;
}

/**
 * Detections of one image, grouped by label (ascending) and best first
 * within a label, as OpenCV orders its [1, 1, N, 7] output.
 * `minScore` raises the confidence threshold (it never lowers it).
 *
 * @example
 *   const faces = ssdDetectionOutput(loc, conf, priors, params).filter((d) => d.label === 1);
 */
export function ssdDetectionOutput(
  loc: ArrayLike<number>,
  conf: ArrayLike<number>,
  priors: ArrayLike<number>,
  params: DetectionParams,
  minScore = -Infinity,
): SsdDetection[] {
  const threshold = Math.max(params.confidenceThreshold, minScore);
  const boxes = new Map<number, Corners>();
  const boxOf = (i: number) => {
    let box = boxes.get(i);
    if (!box) boxes.set(i, (box = decodeBox(loc, priors, i, params)));
    return box;
  };
  const perLabel: SsdDetection[][] = [];
  for (let label = 0; label < params.numClasses; label++) {
    if (label === params.backgroundLabelId) continue;
    const candidates = bestCandidates(conf, params.numClasses, label, threshold, params.topK);
    const scores = candidates.map((i) => conf[i * params.numClasses + label]!);
    const kept = nonMaxSuppression(candidates.map(boxOf), scores, { iouThreshold: params.nmsThreshold, scoreThreshold: -Infinity, maxOutputs: Infinity });
    perLabel[label] = kept.map((k) => ({ label, score: scores[k]!, box: boxOf(candidates[k]!) }));
  }
  let all = perLabel.flat();
  if (params.keepTopK > -1 && all.length > params.keepTopK) {
    const keep = new Set([...all].sort((a, b) => b.score - a.score).slice(0, params.keepTopK));
    all = all.filter((d) => keep.has(d));
  }
  return all;
}
