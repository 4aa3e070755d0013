/**
 * Age and gender with Levi and Hassner's Caffe networks (imported with
 * `faceread models import-caffe`), fed as OpenCV's age-gender sample feeds
 * them: the face box widened by 20 px on each side and clamped to the
 * photo, resized to 227x227 by `blobFromImage`, BGR, minus the training
 * mean. All faces of a photo run as one batch. Age comes out as the eight
 * bucket probabilities; its years are the probability-weighted midpoints.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import ort from '../../engine/ort.js';
import { writeOpenCvBlob, type PixelRect } from '../../image/opencv-blob.js';
import type { Box, Detection, GenderLabel, RgbImage } from '../../types.js';
import { BUCKET_MIDPOINTS } from '../age-buckets.js';
import type { AttributePrediction, AttributePredictor, RunnerFactory } from '../runner-types.js';

export const LEVI_HASSNER_INPUT_SIZE = 227;
export const LEVI_HASSNER_MEAN_BGR = [78.4263377603, 87.7689143744, 114.895847746] as const;
/** Pixels added around the detector's box (OpenCV's sample). */
export const LEVI_HASSNER_PADDING = 20;
/** The gender network's outputs, in order. */
export const LEVI_HASSNER_GENDERS: readonly GenderLabel[] = ['male', 'female'];

/**
 * The crop OpenCV's sample takes: the box truncated to whole pixels as its
 * `int(...)` does, padded, and clamped with its `shape - 1` upper bound.
 *
 * @example
 *   leviHassnerCrop({ x: 100.7, y: 50.2, width: 80, height: 90 }, 640, 480); // { x1: 80, y1: 30, x2: 200, y2: 160 }
 */
export function leviHassnerCrop(box: Box, imageWidth: number, imageHeight: number): PixelRect {
  const pad = LEVI_HASSNER_PADDING;
  const x1 = Math.trunc(box.x);
  const y1 = Math.trunc(box.y);
  const x2 = Math.trunc(box.x + box.width);
  const y2 = Math.trunc(box.y + box.height);
  const rect = {
    x1: Math.max(0, x1 - pad),
    y1: Math.max(0, y1 - pad),
    x2: Math.min(x2 + pad, imageWidth - 1),
    y2: Math.min(y2 + pad, imageHeight - 1),
  };
  // A box at the photo's edge could leave nothing; keep at least one pixel.
  rect.x2 = Math.max(rect.x2, Math.min(rect.x1 + 1, imageWidth));
  rect.y2 = Math.max(rect.y2, Math.min(rect.y1 + 1, imageHeight));
  return rect;
}

/** Years from the eight bucket probabilities: the probability-weighted bucket midpoint. */
export function expectedAge(probabilities: ArrayLike<number>): number {
  let years = 0;
  let total = 0;
  for (let i = 0; i < BUCKET_MIDPOINTS.length; i++) {
    years += probabilities[i]! * BUCKET_MIDPOINTS[i]!;
    total += probabilities[i]!;
  }
  return years / total;
}

/** The faces of `image` as the networks' [N, 3, 227, 227] input. */
export function leviHassnerBatch(image: RgbImage, faces: readonly Detection[]): Tensor {
  const side = LEVI_HASSNER_INPUT_SIZE;
  const plane = 3 * side * side;
  const data = new Float32Array(faces.length * plane);
  faces.forEach((face, i) => {
    const rect = leviHassnerCrop(face.box, image.width, image.height);
    writeOpenCvBlob(image, { size: [side, side], meanBgr: LEVI_HASSNER_MEAN_BGR, rect }, data, i * plane);
  });
  return new ort.Tensor('float32', data, [faces.length, 3, side, side]);
}

async function probabilities(session: InferenceSession, image: RgbImage, faces: readonly Detection[], classes: number): Promise<Float32Array> {
  const outputs = await session.run({ [session.inputNames[0]!]: leviHassnerBatch(image, faces) });
  const data = outputs[session.outputNames[0]!]!.data as Float32Array;
  if (data.length !== faces.length * classes) {
    throw new Error(`Expected ${classes} probabilities per face from the Levi-Hassner model but it gives ${data.length / faces.length}; was the right network imported?`);
  }
  return data;
}

/**
 * Wraps a session of the converted age network (`age_net.caffemodel`).
 *
 * @example
 *   const predictor = createLeviHassnerAgePredictor(await ort.InferenceSession.create(ageOnnx));
 *   const [first] = await predictor.predict(image, faces); // { ageYears: 28.4 }
 */
export const createLeviHassnerAgePredictor: RunnerFactory<AttributePredictor> = (session) => ({
  // The classic app's crop, never levelled: its answers stay OpenCV's.
  ownGeometry: true,
  async predict(image: RgbImage, faces: readonly Detection[]): Promise<AttributePrediction[]> {
    if (faces.length === 0) return [];
    const buckets = BUCKET_MIDPOINTS.length;
    const probs = await probabilities(session, image, faces, buckets);
    return faces.map((_, i) => {
      const own = probs.subarray(i * buckets, (i + 1) * buckets);
      return { ageYears: expectedAge(own), ageBucketProbabilities: Array.from(own) };
    });
  },
});

/**
 * Wraps a session of the converted gender network (`gender_net.caffemodel`).
 *
 * @example
 *   const predictor = createLeviHassnerGenderPredictor(await ort.InferenceSession.create(genderOnnx));
 *   const [first] = await predictor.predict(image, faces); // { gender: { label: 'female', probability: 0.93 } }
 */
export const createLeviHassnerGenderPredictor: RunnerFactory<AttributePredictor> = (session) => ({
  ownGeometry: true,
  async predict(image: RgbImage, faces: readonly Detection[]): Promise<AttributePrediction[]> {
    if (faces.length === 0) return [];
    const probs = await probabilities(session, image, faces, 2);
    return faces.map((_, i) => {
      const male = probs[i * 2]!;
      const female = probs[i * 2 + 1]!;
      // The sample takes the arg max; ties go to the first output (male), as numpy's argmax does.
      return female > male
        ? { gender: { label: LEVI_HASSNER_GENDERS[1]!, probability: female } }
        : { gender: { label: LEVI_HASSNER_GENDERS[0]!, probability: male } };
    });
  },
});
