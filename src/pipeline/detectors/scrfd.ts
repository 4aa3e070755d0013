/**
 * Runs an imported SCRFD face detector (InsightFace's scrfd_500m, 2.5g,
 * 10g..., with or without keypoints, and the det_*.onnx files of its model
 * packs) as InsightFace's `SCRFD.detect` runs it: the photo fitted into the
 * network's input (its fixed size, else 640x640) at the top left, black
 * beyond, RGB, (x - 127.5) / 128. Per stride 8, 16 and 32 the network
 * gives, for 2 anchors on each cell, a score (after sigmoid), the
 * distances from the cell's corner to the box's sides and (kps models)
 * five points' offsets, all in strides. Faces scoring at least the minimum
 * are suppressed at IoU 0.4 in photo pixels (InsightFace's NMS).
 */
import ort from '../../engine/ort.js';
import type { Detection, RgbImage } from '../../types.js';
import type { DetectOptions, FaceDetector, ModelSpec, RunnerFactory } from '../runner-types.js';
import { inputPixels, networkInput, planarBlob, sessionFixedSize, type NetworkInput, type PixelFormat } from './detector-input.js';
import { candidateDetection, scaleCandidate, suppressInclusive, type FaceCandidate } from './face-candidates.js';

export const SCRFD_STRIDES = [8, 16, 32] as const;
/** Anchors on each cell of each stride. */
export const SCRFD_ANCHORS = 2;
/** The input InsightFace runs a model of free size at (its `det_size`). */
export const SCRFD_DEFAULT_SIZE: [number, number] = [640, 640];
export const SCRFD_NMS_IOU = 0.4;
export const SCRFD_FORMAT: PixelFormat = { channels: 'rgb', mean: [127.5, 127.5, 127.5], scale: 1 / 128 };

/** Which output holds what, per stride (8, 16, 32): found at import and stored with the model. */
export interface ScrfdLayout {
  inputName: string;
  scores: string[];
  boxes: string[];
  /** Null for models without keypoints. */
  keypoints: string[] | null;
  /** The network's fixed [width, height], or null when it runs at any size (then at 640x640). */
  inputSize: [number, number] | null;
}

/** Rows (anchors) of one stride's outputs for an input. */
export const scrfdRows = (stride: number, width: number, height: number): number => Math.floor(width / stride) * Math.floor(height / stride) * SCRFD_ANCHORS;

/**
 * Outputs in InsightFace's order (scores for strides 8, 16, 32, then boxes, then keypoints), or by
 * the names InsightFace's export script gives (score_8, bbox_8, kps_8...).
 */
export function scrfdLayoutByName(outputNames: readonly string[], inputName: string, inputSize: [number, number] | null): ScrfdLayout {
  const names = new Set(outputNames);
  const named = (prefix: string) => SCRFD_STRIDES.map((s) => `${prefix}_${s}`);
  const withKeypoints = outputNames.length === 9;
  if (named('score').every((n) => names.has(n)) && named('bbox').every((n) => names.has(n))) {
    return { inputName, scores: named('score'), boxes: named('bbox'), keypoints: withKeypoints ? named('kps') : null, inputSize };
  }
  const at = (k: number) => outputNames.slice(k * 3, k * 3 + 3);
  return { inputName, scores: at(0), boxes: at(1), keypoints: withKeypoints ? at(2) : null, inputSize };
}

/** One stride's outputs. */
export interface ScrfdLevel {
  stride: number;
  scores: ArrayLike<number>;
  boxes: ArrayLike<number>;
  keypoints?: ArrayLike<number>;
}

function expectLength(name: string, data: ArrayLike<number>, rows: number, values: number): void {
  if (data.length !== rows * values) throw new RangeError(`Expected SCRFD output ${name} to hold ${rows} x ${values} values for this input but received ${data.length}`);
}

/**
 * Candidates scoring at least `minScore` (InsightFace keeps scores >= its threshold), in the
 * pixels of a `width` x `height` input.
 *
 * @example
 *   const faces = decodeScrfd([8, 16, 32].map((s, k) => ({ stride: s, scores: out[layout.scores[k]].data, boxes: ... })), 640, 640, 0.5);
 */
export function decodeScrfd(levels: readonly ScrfdLevel[], width: number, height: number, minScore: number): FaceCandidate[] {
  const found: FaceCandidate[] = [];
  for (const { stride, scores, boxes, keypoints } of levels) {
    const cols = Math.floor(width / stride);
    const rows = scrfdRows(stride, width, height);
    expectLength(`scores (stride ${stride})`, scores, rows, 1);
    expectLength(`boxes (stride ${stride})`, boxes, rows, 4);
    if (keypoints) expectLength(`keypoints (stride ${stride})`, keypoints, rows, 10);
    for (let i = 0; i < rows; i++) {
      const score = scores[i]!;
      if (!(score >= minScore)) continue;
      // Anchors sit on the cells' top-left corners, SCRFD_ANCHORS to a cell.
      const cell = Math.floor(i / SCRFD_ANCHORS);
      const ax = (cell % cols) * stride;
      const ay = Math.floor(cell / cols) * stride;
      const b = i * 4;
      const x1 = ax - boxes[b]! * stride;
      const y1 = ay - boxes[b + 1]! * stride;
      const x2 = ax + boxes[b + 2]! * stride;
      const y2 = ay + boxes[b + 3]! * stride;
      const landmarks: number[] = [];
      if (keypoints) for (let k = 0; k < 10; k += 2) landmarks.push(ax + keypoints[i * 10 + k]! * stride, ay + keypoints[i * 10 + k + 1]! * stride);
      found.push({ x: x1, y: y1, width: x2 - x1, height: y2 - y1, score, landmarks });
    }
  }
  return found;
}

export interface ScrfdDetector extends FaceDetector {
  readonly layout: ScrfdLayout;
  /** The input of the last photo detected (for reports). */
  readonly lastInput: NetworkInput | null;
}

/**
 * A FaceDetector around a session of an SCRFD model; `spec` is the layout its import found
 * (without one, the outputs are read in InsightFace's order).
 *
 * @example
 *   const detector = createScrfdDetector(await ort.InferenceSession.create(storedBytes), {}, layout);
 *   const faces = await detector.detect(image, { minScore: 0.5, maxFaces: 50 });
 */
export const createScrfdDetector: RunnerFactory<ScrfdDetector> = (session, _options, spec?: ModelSpec) => {
  const layout = (spec as ScrfdLayout | undefined) ?? scrfdLayoutByName(session.outputNames, session.inputNames[0]!, sessionFixedSize(session));
  const size = layout.inputSize ?? SCRFD_DEFAULT_SIZE;
  let lastInput: NetworkInput | null = null;
  return {
    layout,
    inputSide: Math.max(...size),
    get lastInput() {
      return lastInput;
    },
    async detect(image: RgbImage, options: DetectOptions): Promise<Detection[]> {
      const input = networkInput(image.width, image.height, { maxSide: Infinity, divisor: 1, fixedSize: size });
      lastInput = input;
      const blob = planarBlob(await inputPixels(image, input), input, SCRFD_FORMAT);
      const outputs = await session.run({ [layout.inputName]: new ort.Tensor('float32', blob, [1, 3, input.paddedHeight, input.paddedWidth]) });
      const data = (name: string) => {
        const output = outputs[name];
        if (!output) throw new Error(`The SCRFD model has no output "${name}"; import the file again with \`faceread models import-onnx --kind scrfd\``);
        return output.data as Float32Array;
      };
      const levels = SCRFD_STRIDES.map((stride, k) => ({
        stride,
        scores: data(layout.scores[k]!),
        boxes: data(layout.boxes[k]!),
        ...(layout.keypoints ? { keypoints: data(layout.keypoints[k]!) } : {}),
      }));
      // InsightFace scales back by one factor, the resized height over the photo's.
      const back = image.height / input.height;
      const found = decodeScrfd(levels, input.paddedWidth, input.paddedHeight, options.minScore).map((f) => scaleCandidate(f, back, back));
      return suppressInclusive(found, SCRFD_NMS_IOU, options.maxFaces).map((f) => candidateDetection(f, image));
    },
  };
};
