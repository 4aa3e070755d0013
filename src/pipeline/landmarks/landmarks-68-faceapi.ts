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

// iBUG 68 indices. The subject's right eye (36-41) is on the image's left.
const IMAGE_LEFT_EYE = [36, 37, 38, 39, 40, 41];
const IMAGE_RIGHT_EYE = [42, 43, 44, 45, 46, 47];
const NOSE_TIP = 30;
const IMAGE_LEFT_MOUTH_CORNER = 48;
const IMAGE_RIGHT_MOUTH_CORNER = 54;

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

function mean(points: readonly Point[], indices: readonly number[]): Point {
  let x = 0;
  let y = 0;
  for (const i of indices) {
    x += points[i]![0];
    y += points[i]![1];
  }
  return [x / indices.length, y / indices.length];
}

/** Left eye, right eye, nose tip, left and right mouth corner (image's left/right) from the 68 points. */
export function fivePointsOf68(points: readonly Point[]): Point[] {
  return [
    mean(points, IMAGE_LEFT_EYE),
    mean(points, IMAGE_RIGHT_EYE),
    points[NOSE_TIP]!,
    points[IMAGE_LEFT_MOUTH_CORNER]!,
    points[IMAGE_RIGHT_MOUTH_CORNER]!,
  ];
}

/**
 * Wraps a session of the converted face_landmark_68_model.
 *
 * @example
 *   const finder = createFaceApiLandmarkFinder(await InferenceSession.create(await convertLandmarks68(modelDir)));
 *   const [[leftEye, rightEye, nose, mouthLeft, mouthRight]] = await finder.locate(image, detections);
 */
export const createFaceApiLandmarkFinder: RunnerFactory<LandmarkFinder> = (session) => ({
  cropSide: LANDMARKS_68_INPUT_SIZE,
  async locate(image: RgbImage, faces: readonly Detection[]): Promise<Point[][]> {
    if (faces.length === 0) return [];
    const size = LANDMARKS_68_INPUT_SIZE;
    const { data, crops } = faceCropBatch(image, faces.map((face) => face.box), size);
    const outputs = await session.run({ image: new ort.Tensor('float32', data, [faces.length, size, size, 3]) });
    const raw = outputs.landmarks;
    if (!raw) throw new Error('The landmark model has no output "landmarks"; was it converted by convertLandmarks68?');
    return crops.map((crop, i) => fivePointsOf68(toImagePoints(raw.data as Float32Array, i, crop)));
  },
});
