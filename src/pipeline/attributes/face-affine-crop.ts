/**
 * Face crops for attribute networks described by a spec (imported ONNX
 * classifiers, InsightFace's genderage): one affine map from the photo to
 * the network's input, either around the detection box (InsightFace's
 * attribute crop: the box centre, a side of `margin` times the box's longer
 * side, no turn) or fitted to the five landmarks (ArcFace's template, the
 * alignment InsightFace uses for recognition), warped as OpenCV's
 * warpAffine does, then scaled per channel into the network's layout.
 */
import { warpAffineOpenCv, type Affine } from '../../image/opencv-warp.js';
import type { Box, Point, RgbImage } from '../../types.js';

/** Where ArcFace's 112x112 crops put the eyes, nose tip and mouth corners (image left first), from InsightFace's face_align. */
export const ARCFACE_TEMPLATE_112: readonly Point[] = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

/**
 * The map from the photo to a `size` crop around `box`: its centre at the crop's centre, `margin`
 * times its longer side across the crop (`square`), or `margin` times its width across and its
 * height down (stretched). With a square input, margin 1.5 and `square` this is InsightFace's
 * attribute crop (`face_align.transform` with rotation 0).
 *
 * @example
 *   boxCropMatrix({ x: 100, y: 50, width: 80, height: 100 }, [96, 96], 1.5, true);
 *   // [0.64, 0, -41.6, 0, 0.64, -16]
 */
export function boxCropMatrix(box: Box, size: readonly [number, number], margin: number, square: boolean): Affine {
  const long = Math.max(box.width, box.height);
  const sx = size[0] / ((square ? long : box.width) * margin);
  const sy = size[1] / ((square ? long : box.height) * margin);
  // The centre as InsightFace takes it from (x1, y1, x2, y2).
  const cx = (box.x + box.width + box.x) / 2;
  const cy = (box.y + box.height + box.y) / 2;
  return [sx, 0, size[0] / 2 - cx * sx, 0, sy, size[1] / 2 - cy * sy];
}

/**
 * The turn, scale and shift that best maps `from` onto `to` (least squares; no shear, no mirror).
 *
 * @example
 *   fitSimilarity([[0, 0], [1, 0]], [[10, 10], [10, 12]]); // [0, -2, 10, 2, 0, 10]: a quarter turn, doubled, moved
 */
export function fitSimilarity(from: readonly Point[], to: readonly Point[]): Affine {
  const n = from.length;
  if (n < 2 || to.length !== n) throw new RangeError(`Expected two lists of at least 2 matching points but received ${n} and ${to.length}`);
  const mean = (points: readonly Point[], axis: 0 | 1) => points.reduce((sum, p) => sum + p[axis], 0) / n;
  const [fx, fy, tx, ty] = [mean(from, 0), mean(from, 1), mean(to, 0), mean(to, 1)];
  let dot = 0;
  let cross = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const px = from[i]![0] - fx;
    const py = from[i]![1] - fy;
    const qx = to[i]![0] - tx;
    const qy = to[i]![1] - ty;
    dot += px * qx + py * qy;
    cross += px * qy - py * qx;
    norm += px * px + py * py;
  }
  if (norm === 0) throw new RangeError('Expected points that are not all the same but received one point repeated');
  const a = dot / norm;
  const b = cross / norm;
  return [a, -b, tx - (a * fx - b * fy), b, a, ty - (b * fx + a * fy)];
}

/**
 * The map that puts the five `landmarks` where ArcFace's template has them, scaled to a `side`
 * square and drawn towards its centre by `margin` (1: ArcFace's own crop; 1.5: the face smaller,
 * with more around it).
 */
export function landmarkCropMatrix(landmarks: readonly Point[], side: number, margin: number): Affine {
  if (landmarks.length !== ARCFACE_TEMPLATE_112.length) throw new RangeError(`Expected 5 landmarks but received ${landmarks.length}`);
  const centre = side / 2;
  const target = ARCFACE_TEMPLATE_112.map(([x, y]): Point => [centre + ((x * side) / 112 - centre) / margin, centre + ((y * side) / 112 - centre) / margin]);
  return fitSimilarity(landmarks, target);
}

/** How a network wants its input: plane order, colour order, and per-channel mean and scale (given in that colour order). */
export interface InputFormat {
  layout: 'nchw' | 'nhwc';
  channels: 'rgb' | 'bgr';
  /** Subtracted first, per network channel. */
  mean: readonly [number, number, number];
  /** Multiplies after the mean (1 / std), per network channel. */
  scale: readonly [number, number, number];
}

/**
 * Writes an RGB crop (`width` x `height` bytes) into `out` at `offset` as the network reads it:
 * `(value - mean) * scale` per channel, as cv2.dnn.blobFromImage computes it in float32.
 */
export function writeNetworkInput(crop: Uint8Array, width: number, height: number, format: InputFormat, out: Float32Array, offset: number): void {
  const plane = width * height;
  for (let c = 0; c < 3; c++) {
    const source = format.channels === 'rgb' ? c : 2 - c;
    const mean = Math.fround(format.mean[c]!);
    const scale = Math.fround(format.scale[c]!);
    for (let i = 0; i < plane; i++) {
      const value = Math.fround(Math.fround(crop[i * 3 + source]! - mean) * scale);
      out[offset + (format.layout === 'nchw' ? c * plane + i : i * 3 + c)] = value;
    }
  }
}

/**
 * One face as the network's input: the crop `matrix` gives, warped and scaled.
 *
 * @example
 *   writeFaceInput(photo, boxCropMatrix(face.box, [96, 96], 1.5, true), [96, 96], format, batch, i * 3 * 96 * 96);
 */
export function writeFaceInput(image: RgbImage, matrix: Affine, size: readonly [number, number], format: InputFormat, out: Float32Array, offset: number): void {
  writeNetworkInput(warpAffineOpenCv(image, matrix, size[0], size[1]), size[0], size[1], format, out, offset);
}
