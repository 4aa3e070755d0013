/**
 * Turns a worker's FaceAnalysis into the public result: coordinates scaled
 * from the working image to the original (oriented) photo and clamped to
 * it, the profile's fitted calibration applied (years, bucket, range and
 * gender probability), numbers rounded to what is meaningful, timings
 * added up.
 */
import type { DecodedImage } from '../image/decode.js';
import type { AppliedCalibration } from '../models/profile-calibration.js';
import type { AnalysisResult, FaceResult, Point } from '../types.js';
import { bucketForAge } from './age-buckets.js';
import type { FaceAnalysis } from './analyze-photo.js';
import { calibratePrediction } from './attributes/attribute-calibration.js';

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

type PhotoGeometry = Pick<DecodedImage, 'original' | 'scale'>;

function toOriginal(face: FaceResult, { scale, original }: PhotoGeometry): FaceResult {
  const x = Math.max(0, face.box.x * scale.x);
  const y = Math.max(0, face.box.y * scale.y);
  const result: FaceResult = {
    box: {
      x: round(x, 1),
      y: round(y, 1),
      width: round(Math.min(original.width, (face.box.x + face.box.width) * scale.x) - x, 1),
      height: round(Math.min(original.height, (face.box.y + face.box.height) * scale.y) - y, 1),
    },
    score: round(face.score, 4),
  };
  if (face.landmarks) result.landmarks = face.landmarks.map(([px, py]): Point => [round(px * scale.x, 1), round(py * scale.y, 1)]);
  if (face.gender) result.gender = { label: face.gender.label, probability: round(face.gender.probability, 4) };
  if (face.age) {
    result.age = { ...face.age, years: round(face.age.years, 1) };
    if (face.age.range) result.age.range = [round(face.age.range[0], 1), round(face.age.range[1], 1)];
    if (face.age.bucketProbabilities) result.age.bucketProbabilities = face.age.bucketProbabilities.map((p) => round(p, 4));
  }
  return result;
}

/** A face's answers as the calibration maps them: the bucket follows the calibrated years. */
function calibrated(face: FaceResult, calibration: AppliedCalibration): FaceResult {
  const out = calibratePrediction(
    { ...(face.age ? { ageYears: face.age.years } : {}), ...(face.gender ? { gender: face.gender } : {}), ...(face.age?.range ? { ageRange: face.age.range } : {}) },
    calibration,
  );
  const result: FaceResult = { ...face };
  if (out.gender) result.gender = out.gender;
  if (face.age && out.ageYears !== undefined) {
    result.age = { ...face.age, years: out.ageYears, bucket: bucketForAge(out.ageYears) };
    if (out.ageRange) result.age.range = out.ageRange;
  }
  return result;
}

/**
 * @example assembleResult(decoded, analysis, { decodeMs: 12.3, totalMs: 61.2 })
 * @example assembleResult(decoded, analysis, times, stored.calibration) // a calibrated profile's answers
 */
export function assembleResult(
  decoded: PhotoGeometry,
  analysis: FaceAnalysis,
  times: { decodeMs: number; totalMs: number },
  calibration?: AppliedCalibration,
): AnalysisResult {
  return {
    image: decoded.original,
    faces: analysis.faces.map((face) => toOriginal(calibration ? calibrated(face, calibration) : face, decoded)),
    timingsMs: {
      decode: round(times.decodeMs, 2),
      detect: round(analysis.detectMs, 2),
      attributes: round(analysis.attributesMs, 2),
      total: round(times.totalMs, 2),
    },
    models: calibration ? { ...analysis.models, calibrated: calibration.profile } : analysis.models,
  };
}
