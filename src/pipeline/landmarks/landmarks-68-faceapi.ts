/**
 * Five landmarks per face from face-api's face_landmark_68_model (converted
 * by `convertLandmarks68`). Faces are cropped as face-api crops them, all
 * faces of a photo run as one batch, and the 68 points are reduced to the
 * five FaceRead reports, in image pixels.
 */
import ort from '../../engine/ort.js';
import { LANDMARKS_68_INPUT_SIZE } from '../../convert/faceapi/landmarks-68.js';
import { faceCropBatch, writeMirrored, type FaceCrop } from '../../image/crop.js';
import type { Detection, Point, RgbImage } from '../../types.js';
import type { LandmarkFinder, RunnerFactory } from '../runner-types.js';
import { fivePointsOf68 } from './five-points.js';
import { pointsFromSquare, squareAround, writeSquareSamples } from './mirror-exact-crop.js';
import { renumberMirrored } from './mirror-pairs-68.js';

export { fivePointsOf68 };

/**
 * The 68 points of one face in image pixels. The model's points are
 * fractions of the padded square; undoing the padding and the crop offset
 * uses the exact padding the crop had.
 */
export function toImagePoints(raw: Float32Array, faceIndex: number, { region, layout }: FaceCrop): Point[] {
  const points: Point[] = [];
  for (let p = 0; p < 68; p++) {
    const x = raw[faceIndex * 136 + p * 2]! * layout.side - layout.padLeft + region.x;
    const y = raw[faceIndex * 136 + p * 2 + 1]! * layout.side - layout.padTop + region.y;
    points.push([x, y]);
  }
  return points;
}

/**
 * The refined pass (`refine68`): how many times each face is cropped again around its last points,
 * and the crop's side as a multiple of their extent. Measured on the six sample photos and their
 * mirror images (bench/pose-mirror-study.ts), pitch against the mirrored twin's over the 22 faces,
 * mean / worst degrees: the first points 3.3 / 10.0; one pass 1.5 / 4.8; two 0.5 / 1.8; three
 * 0.3 / 1.7 (margin 1.5: 1.7 / 4.5, 0.7 / 2.6, 0.5 / 2.7). Each pass runs the network twice a
 * face (~3 ms each on one core), so two passes, not three.
 */
export const REFINE_PASSES = 2;
export const REFINE_MARGIN = 1.4;

/**
 * Wraps a session of the converted face_landmark_68_model.
 *
 * @example
 *   const finder = createFaceApiLandmarkFinder(await InferenceSession.create(await convertLandmarks68(modelDir)));
 *   const [[leftEye, rightEye, nose, mouthLeft, mouthRight]] = await finder.locate(image, detections);
 *   const [all68] = await finder.locate68!(image, detections); // iBUG order, image pixels
 *   const [steady] = await finder.refine68!(image, [all68]); // the same face's points, mirror-consistent
 */
export const createFaceApiLandmarkFinder: RunnerFactory<LandmarkFinder> = (session) => {
  const size = LANDMARKS_68_INPUT_SIZE;
  /** The network's fractions for a batch of `count` crops, 136 a crop. */
  const run = async (data: Float32Array, count: number): Promise<Float32Array> => {
    const outputs = await session.run({ image: new ort.Tensor('float32', data, [count, size, size, 3]) });
    const raw = outputs.landmarks;
    if (!raw) throw new Error('The landmark model has no output "landmarks"; was it converted by convertLandmarks68?');
    return raw.data as Float32Array;
  };
  const locate68 = async (image: RgbImage, faces: readonly Detection[]): Promise<Point[][]> => {
    if (faces.length === 0) return [];
    const { data, crops } = faceCropBatch(image, faces.map((face) => face.box), size);
    const raw = await run(data, faces.length);
    return crops.map((crop, i) => toImagePoints(raw, i, crop));
  };
  /**
   * Each face's points found again on a square placed by its previous points (mirror-exact-crop.ts)
   * and on that crop's mirror image, in one batch, averaged: the network's answers on a face and
   * on its mirror image differ by several degrees of pitch (a crop and its exact mirror: 3.7 mean,
   * 14.9 worst on the sample faces), and the detector's boxes differ between a photo and its mirror
   * image. The average is the same for a face and its mirror image when the squares are; placing
   * the squares from averaged points again brings them together.
   */
  const refine68 = async (image: RgbImage, points68: readonly (readonly Point[])[]): Promise<Point[][]> => {
    const slot = size * size * 3;
    const n = points68.length;
    let points = points68.map((p) => [...p]);
    if (n === 0) return points;
    for (let pass = 0; pass < REFINE_PASSES; pass++) {
      const squares = points.map((p) => squareAround(p, REFINE_MARGIN));
      const data = new Float32Array(2 * n * slot);
      squares.forEach((square, i) => {
        writeSquareSamples(image, square, size, data, i * slot);
        writeMirrored(data, i * slot, (n + i) * slot, size);
      });
      const raw = await run(data, 2 * n);
      points = squares.map((square, i) => {
        const plain = pointsFromSquare(raw, i * 136, square, size, false);
        const mirrored = renumberMirrored(pointsFromSquare(raw, (n + i) * 136, square, size, true));
        return plain.map(([x, y], k): Point => [(x + mirrored[k]![0]) / 2, (y + mirrored[k]![1]) / 2]);
      });
    }
    return points;
  };
  return {
    cropSide: LANDMARKS_68_INPUT_SIZE,
    locate68,
    refine68,
    async locate(image: RgbImage, faces: readonly Detection[]): Promise<Point[][]> {
      return (await locate68(image, faces)).map(fivePointsOf68);
    },
  };
};
