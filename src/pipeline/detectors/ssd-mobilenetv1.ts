/**
 * Runs the converted face-api SSD MobileNetV1 model on a photo: square 512
 * input, the model's raw box encodings and face probabilities, decoding
 * against the anchors, greedy NMS at IoU 0.5 (face-api's), then boxes in
 * the photo's pixels.
 */
import ort from '../../engine/ort.js';
import type { Detection, RgbImage } from '../../types.js';
import { nonMaxSuppression, type Corners } from '../nms.js';
import type { DetectOptions, FaceDetector, RunnerFactory } from '../runner-types.js';
import { sharedSsdAnchors } from './ssd-anchors.js';
import { decodeSsdBox } from './ssd-decode.js';
import { toSquareInput } from './ssd-preprocess.js';

/** Side of the square model input (fixed by the network). */
export const SSD_MOBILENETV1_INPUT_SIZE = 512;
/** face-api's NMS overlap threshold for this detector. */
export const SSD_MOBILENETV1_IOU_THRESHOLD = 0.5;
/** face-api's default minimum confidence. */
export const SSD_MOBILENETV1_DEFAULT_MIN_SCORE = 0.5;

/** Raw model outputs for one image: 4 encodings per anchor and one face probability per anchor. */
export interface SsdRawOutput {
  encodings: Float32Array;
  scores: Float32Array;
}

/**
 * Decodes, suppresses and maps raw outputs to detections in photo pixels,
 * clamped to the `width` x `height` photo, best first.
 *
 * @example
 *   const faces = ssdDetections(raw, { toPixelsX: 2, toPixelsY: 2 }, 1024, 768, { minScore: 0.5, maxFaces: 10 });
 */
export function ssdDetections(
  raw: SsdRawOutput,
  scale: { toPixelsX: number; toPixelsY: number },
  width: number,
  height: number,
  options: DetectOptions,
): Detection[] {
  const anchors = sharedSsdAnchors();
  // Only anchors that can survive the score threshold are decoded.
  const candidates: number[] = [];
  for (let i = 0; i < raw.scores.length; i++) if (raw.scores[i]! > options.minScore) candidates.push(i);
  const boxes: Corners[] = candidates.map((i) => decodeSsdBox(raw.encodings, anchors, i));
  const scores = candidates.map((i) => raw.scores[i]!);
  const kept = nonMaxSuppression(boxes, scores, {
    iouThreshold: SSD_MOBILENETV1_IOU_THRESHOLD,
    scoreThreshold: options.minScore,
    maxOutputs: options.maxFaces,
  });
  const clamp = (v: number, max: number) => Math.min(Math.max(v, 0), max);
  return kept.map((k) => {
    const b = boxes[k]!;
    const x1 = clamp(Math.min(b.x1, b.x2) * scale.toPixelsX, width);
    const x2 = clamp(Math.max(b.x1, b.x2) * scale.toPixelsX, width);
    const y1 = clamp(Math.min(b.y1, b.y2) * scale.toPixelsY, height);
    const y2 = clamp(Math.max(b.y1, b.y2) * scale.toPixelsY, height);
    return { box: { x: x1, y: y1, width: x2 - x1, height: y2 - y1 }, score: scores[k]! };
  });
}

function checkImage(image: RgbImage): void {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`Expected a positive integer width and height for image but received ${width}x${height}`);
  }
  if (data.length !== width * height * 3) {
    throw new RangeError(`Expected ${width * height * 3} bytes for a ${width}x${height} RGB image but received ${data.length}`);
  }
}

/**
 * A FaceDetector around a session of the model made by `convertSsdMobilenetV1`.
 *
 * @example
 *   const session = await ort.InferenceSession.create(await convertSsdMobilenetV1(modelDir));
 *   const detector = createSsdMobilenetV1Detector(session);
 *   const faces = await detector.detect(image, { minScore: 0.5, maxFaces: 20 });
 */
export const createSsdMobilenetV1Detector: RunnerFactory<FaceDetector> = (session) => {
  // One input buffer per runner, reused: a worker runs one photo at a time, and a fresh
  // 3 MB array per photo only gives the garbage collector work.
  const side = SSD_MOBILENETV1_INPUT_SIZE;
  const buffer = new Float32Array(side * side * 3);
  return {
    inputSide: side,
    async detect(image: RgbImage, options: DetectOptions): Promise<Detection[]> {
      checkImage(image);
      const input = toSquareInput(image, side, buffer);
      const outputs = await session.run({ image: new ort.Tensor('float32', input.data, [1, side, side, 3]) });
      const raw = { encodings: outputs.boxes!.data as Float32Array, scores: outputs.scores!.data as Float32Array };
      return ssdDetections(raw, input, image.width, image.height, options);
    },
  };
};
