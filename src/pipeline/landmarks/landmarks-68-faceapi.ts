/**
 * Five landmarks per face from face-api's face_landmark_68_model (converted
 * by `convertLandmarks68`). Faces are cropped as face-api crops them, all
 * faces of a photo run as one batch, and the 68 points are reduced to the
 * five FaceRead reports, in image pixels.
 */
import ort from '../../engine/ort.js';
import { LANDMARKS_68_INPUT_SIZE } from '../../convert/faceapi/landmarks-68.js';
import { faceCropBatch, type FaceCrop } from '../../image/crop.js';
import type { Detection, Point, RgbImage } from '../../types.js';
import type { LandmarkFinder, RunnerFactory } from '../runner-types.js';
import { fivePointsOf68 } from './five-points.js';

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
 * Wraps a session of the converted face_landmark_68_model.
 *
 * @example
 *   const finder = createFaceApiLandmarkFinder(await InferenceSession.create(await convertLandmarks68(modelDir)));
 *   const [[leftEye, rightEye, nose, mouthLeft, mouthRight]] = await finder.locate(image, detections);
 *   const [all68] = await finder.locate68!(image, detections); // iBUG order, image pixels
 */
export const createFaceApiLandmarkFinder: RunnerFactory<LandmarkFinder> = (session) => {
  const locate68 = async (image: RgbImage, faces: readonly Detection[]): Promise<Point[][]> => {
    if (faces.length === 0) return [];
    const size = LANDMARKS_68_INPUT_SIZE;
    const { data, crops } = faceCropBatch(image, faces.map((face) => face.box), size);
    const outputs = await session.run({ image: new ort.Tensor('float32', data, [faces.length, size, size, 3]) });
    const raw = outputs.landmarks;
    if (!raw) throw new Error('The landmark model has no output "landmarks"; was it converted by convertLandmarks68?');
    return crops.map((crop, i) => toImagePoints(raw.data as Float32Array, i, crop));
  };
  return {
    cropSide: LANDMARKS_68_INPUT_SIZE,
    locate68,
    async locate(image: RgbImage, faces: readonly Detection[]): Promise<Point[][]> {
      return (await locate68(image, faces)).map(fivePointsOf68);
    },
  };
};
