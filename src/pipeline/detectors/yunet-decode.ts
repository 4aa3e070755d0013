/**
 * YuNet's outputs turned into faces, as OpenCV's `FaceDetectorYN` reads
 * them. Two output layouts exist:
 *
 * - `priors` (OpenCV Zoo 2022mar): `loc` [N, 14], `conf` [N, 2], `iou` [N, 1]
 *   over SSD-style priors at strides 8/16/32/64 (3, 2, 2 and 3 sizes per
 *   cell); boxes and landmarks are offsets from a prior scaled by the
 *   variances 0.1 (centre, landmarks) and 0.2 (height; OpenCV 4.6 uses 0.1
 *   for the width), score = sqrt(softmax face * clamped IoU).
 * - `strides` (2023mar, libfacedetection's yunet_n): per stride 8/16/32 one
 *   anchor per cell: `cls`, `obj` (after sigmoid), `bbox` (centre offset in
 *   cells, log size in strides), `kps` (5 points in cells from the cell's
 *   corner); score = sqrt(cls * obj), both clamped to 0..1.
 *
 * Coordinates are in the network input's pixels. Landmark order is the
 * network's: image-left eye, image-right eye, nose tip, image-left and
 * image-right mouth corner (the person's right eye first).
 */
import { nonMaxSuppression, type Corners } from '../nms.js';
import type { FaceCandidate } from './face-candidates.js';
import { decodePriorBox, decodePriorPoints, priorBoxes, priorCount, type PriorLevel, type PriorVariances } from './prior-boxes.js';

export type YunetLayout = 'priors' | 'strides';

/** One face before suppression, in input pixels. */
export type YunetCandidate = FaceCandidate;

/** The strides of the `strides` layout and the output names each one has. */
export const YUNET_STRIDES = [8, 16, 32] as const;
export const YUNET_STRIDE_OUTPUTS = ['cls', 'obj', 'bbox', 'kps'] as const;
export const YUNET_PRIOR_OUTPUTS = ['loc', 'conf', 'iou'] as const;

/** Prior sizes (input pixels) per feature map of the `priors` layout, and the maps' strides. */
const PRIOR_SIZES = [[10, 16, 24], [32, 48], [64, 96], [128, 192, 256]] as const;
const PRIOR_STRIDES = [8, 16, 32, 64] as const;
// OpenCV (4.6) scales the width with the centre variance and the height with the size variance.
const VARIANCES: PriorVariances = { centre: 0.1, width: 0.1, height: 0.2 };

/** Values per anchor in each output. */
const BOX_VALUES = 4;
const LANDMARK_VALUES = 10;
const LOC_VALUES = 14;

/**
 * Feature maps of the `priors` layout for an input, as OpenCV derives
 * them: the input halved (rounding up) twice, then halved (rounding down).
 */
function priorLevels(width: number, height: number): PriorLevel[] {
  let cols = Math.floor(Math.floor((width + 1) / 2) / 2);
  let rows = Math.floor(Math.floor((height + 1) / 2) / 2);
  return PRIOR_STRIDES.map((stride, m) => {
    cols = Math.floor(cols / 2);
    rows = Math.floor(rows / 2);
    return { stride, sizes: PRIOR_SIZES[m]!, cols, rows };
  });
}

/**
 * Priors of the `priors` layout for an input size: [cx, cy, w, h] each,
 * normalised to the input, in the network's output order.
 */
export const yunetPriors = (width: number, height: number): Float32Array => priorBoxes(priorLevels(width, height), width, height);

/** How many anchors the network gives for an input (a multiple of 32 on each side). */
export function yunetAnchorCount(layout: YunetLayout, width: number, height: number): number {
  if (layout === 'strides') return YUNET_STRIDES.reduce((sum, s) => sum + (width / s) * (height / s), 0);
  return priorCount(priorLevels(width, height));
}

const clamp01 = (v: number) => Math.min(Math.max(v, 0), 1);

function expectLength(name: string, data: ArrayLike<number>, anchors: number, values: number): void {
  if (data.length !== anchors * values) {
    throw new RangeError(`Expected YuNet output ${name} to hold ${anchors} x ${values} values for this input but received ${data.length}`);
  }
}

/**
 * Candidates scoring above `minScore` from the `priors` layout (2022mar).
 *
 * @example
 *   const faces = decodeYunetPriors(out.loc.data, out.conf.data, out.iou.data, 640, 480, 0.5);
 */
export function decodeYunetPriors(
  loc: ArrayLike<number>,
  conf: ArrayLike<number>,
  iou: ArrayLike<number>,
  width: number,
  height: number,
  minScore: number,
): YunetCandidate[] {
  const priors = yunetPriors(width, height);
  const count = priors.length / 4;
  expectLength('loc', loc, count, LOC_VALUES);
  expectLength('conf', conf, count, 2);
  expectLength('iou', iou, count, 1);
  const found: YunetCandidate[] = [];
  for (let i = 0; i < count; i++) {
    const score = Math.sqrt(conf[i * 2 + 1]! * clamp01(iou[i]!));
    if (!(score > minScore)) continue;
    const o = i * LOC_VALUES;
    const box = decodePriorBox(priors, i, loc, o, VARIANCES, width, height);
    found.push({ ...box, score, landmarks: decodePriorPoints(priors, i, loc, o + 4, 5, VARIANCES.centre, width, height) });
  }
  return found;
}

/** The `strides` layout's outputs for one stride. */
export interface YunetStrideOutputs {
  stride: number;
  cls: ArrayLike<number>;
  obj: ArrayLike<number>;
  bbox: ArrayLike<number>;
  kps: ArrayLike<number>;
}

/**
 * Candidates scoring above `minScore` from the `strides` layout (2023mar, yunet_n).
 *
 * @example
 *   const faces = decodeYunetStrides([8, 16, 32].map((s) => ({ stride: s, cls: out[`cls_${s}`].data, ... })), 640, 480, 0.5);
 */
export function decodeYunetStrides(levels: readonly YunetStrideOutputs[], width: number, height: number, minScore: number): YunetCandidate[] {
  const found: YunetCandidate[] = [];
  for (const { stride, cls, obj, bbox, kps } of levels) {
    const cols = width / stride;
    const rows = height / stride;
    expectLength(`cls_${stride}`, cls, cols * rows, 1);
    expectLength(`obj_${stride}`, obj, cols * rows, 1);
    expectLength(`bbox_${stride}`, bbox, cols * rows, BOX_VALUES);
    expectLength(`kps_${stride}`, kps, cols * rows, LANDMARK_VALUES);
    for (let r = 0, i = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++, i++) {
        const score = Math.sqrt(clamp01(cls[i]!) * clamp01(obj[i]!));
        if (!(score > minScore)) continue;
        const b = i * BOX_VALUES;
        const cx = (c + bbox[b]!) * stride;
        const cy = (r + bbox[b + 1]!) * stride;
        const w = Math.exp(bbox[b + 2]!) * stride;
        const h = Math.exp(bbox[b + 3]!) * stride;
        const landmarks: number[] = [];
        for (let k = 0; k < 5; k++) landmarks.push((kps[i * LANDMARK_VALUES + 2 * k]! + c) * stride, (kps[i * LANDMARK_VALUES + 2 * k + 1]! + r) * stride);
        found.push({ x: cx - w / 2, y: cy - h / 2, width: w, height: h, score, landmarks });
      }
    }
  }
  return found;
}

/** FaceDetectorYN's defaults: overlap above which a weaker face is dropped, and candidates kept before suppression. */
export const YUNET_NMS_IOU = 0.3;
export const YUNET_TOP_K = 5000;

/**
 * The candidates OpenCV keeps, best first, at most `maxFaces`. OpenCV
 * suppresses on boxes truncated to whole pixels (`Rect2i`), which decides
 * borderline overlaps; doing the same keeps the same faces.
 */
export function suppressYunet(candidates: readonly YunetCandidate[], maxFaces: number): YunetCandidate[] {
  const best = [...candidates.keys()].sort((a, b) => candidates[b]!.score - candidates[a]!.score || a - b).slice(0, YUNET_TOP_K);
  const pool = best.map((i) => candidates[i]!);
  const corners: Corners[] = pool.map((f) => {
    const x = Math.trunc(f.x), y = Math.trunc(f.y);
    return { x1: x, y1: y, x2: x + Math.trunc(f.width), y2: y + Math.trunc(f.height) };
  });
  const keep = nonMaxSuppression(corners, pool.map((f) => f.score), { iouThreshold: YUNET_NMS_IOU, scoreThreshold: -Infinity, maxOutputs: maxFaces });
  return keep.map((k) => pool[k]!);
}
