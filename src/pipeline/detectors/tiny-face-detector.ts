/**
 * Face detection with face-api's tiny_face_detector_model (converted by
 * `convertTinyFaceDetector`): the photo is padded at its right or bottom to
 * a square and resized to 416 px as face-api does, the grid is decoded with
 * face-api's anchors, overlapping boxes are merged by the shared NMS
 * (IoU 0.4, face-api's value), and boxes are returned in photo pixels,
 * clamped to the photo.
 */
import type { Tensor } from 'onnxruntime-node';
import ort from '../../engine/ort.js';
import { TINY_FACE_BOX_ENCODING, TINY_FACE_DETECTOR_INPUT_SIZE } from '../../convert/faceapi/tiny-face-detector.js';
import { writeSquareCrop } from '../../image/crop.js';
import type { Box, Detection, RgbImage } from '../../types.js';
import { nonMaxSuppression } from '../nms.js';
import type { DetectOptions, FaceDetector, RunnerFactory } from '../runner-types.js';
import { decodeTinyFaceGrid, photoExtent, TINY_FACE_ANCHORS, type ScoredCorners } from './tiny-face-decode.js';

/** face-api's overlap threshold for the tiny face detector. */
export const TINY_FACE_IOU_THRESHOLD = 0.4;

/** The whole photo as the model's [1, size, size, 3] input (padded at the end, legacy bilinear). */
export function tinyFaceInput(image: RgbImage, size: number): Tensor {
  const data = new Float32Array(size * size * 3);
  writeSquareCrop(image, { x: 0, y: 0, width: image.width, height: image.height }, size, data, 0, false);
  return new ort.Tensor('float32', data, [1, size, size, 3]);
}

function toPixelBox({ corners }: ScoredCorners, image: RgbImage): Box {
  const x1 = Math.min(Math.max(corners.x1 * image.width, 0), image.width);
  const y1 = Math.min(Math.max(corners.y1 * image.height, 0), image.height);
  const x2 = Math.min(Math.max(corners.x2 * image.width, 0), image.width);
  const y2 = Math.min(Math.max(corners.y2 * image.height, 0), image.height);
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}

/**
 * Wraps a session of the converted tiny_face_detector_model (416 px input).
 *
 * @example
 *   const detector = createTinyFaceDetector(await InferenceSession.create(await convertTinyFaceDetector(modelDir)));
 *   const faces = await detector.detect(image, { minScore: 0.5, maxFaces: 20 });
 */
export const createTinyFaceDetector: RunnerFactory<FaceDetector> = (session) => ({
  inputSide: TINY_FACE_DETECTOR_INPUT_SIZE,
  async detect(image: RgbImage, options: DetectOptions): Promise<Detection[]> {
    const size = TINY_FACE_DETECTOR_INPUT_SIZE;
    const outputs = await session.run({ image: tinyFaceInput(image, size) });
    const grid = outputs.grid;
    if (!grid) throw new Error('The tiny face detector model has no output "grid"; was it converted by convertTinyFaceDetector?');
    const cells = grid.dims[1]!;
    if (grid.dims[3] !== TINY_FACE_ANCHORS.length * TINY_FACE_BOX_ENCODING) {
      throw new Error(`The tiny face detector grid has ${grid.dims[3]} values per cell, expected ${TINY_FACE_ANCHORS.length * TINY_FACE_BOX_ENCODING}`);
    }
    const extent = photoExtent(image.width, image.height, size);
    const candidates = decodeTinyFaceGrid(grid.data as Float32Array, cells, extent, options.minScore);
    // Overlap ratios do not change when each axis is scaled, so photo fractions serve as well as pixels.
    const keep = nonMaxSuppression(
      candidates.map((c) => c.corners),
      candidates.map((c) => c.score),
      { iouThreshold: TINY_FACE_IOU_THRESHOLD, scoreThreshold: options.minScore, maxOutputs: options.maxFaces },
    );
    return keep.map((i) => ({ box: toPixelBox(candidates[i]!, image), score: candidates[i]!.score }));
  },
});
