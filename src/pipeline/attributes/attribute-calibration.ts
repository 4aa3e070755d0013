/**
 * Post-hoc calibration of one attribute model, fitted on the `dev` half of
 * the evaluation data (see bench/eval-study.ts and docs/accuracy.md):
 * - age: a monotone piecewise-linear map from the model's years to years
 *   (removes the known bias: children read too old, the old too young);
 * - age range: for the calibrated age, the 10th and 90th percentile of the
 *   error on dev, so [low, high] holds the true age for about 80% of faces;
 * - gender: Platt scaling of the model's logit, so "0.9" is right 9 times
 *   in 10.
 */
import type { AttributePrediction, AttributePredictor, RunnerFactory } from '../runner-types.js';

export interface AgeRangeBand {
  /** Applies to calibrated ages below this (the last band: Infinity). */
  below: number;
  /** Offsets from the age to the range ends (low is negative). */
  low: number;
  high: number;
}

export interface AttributeCalibration {
  /** Knots of the age map: predicted years -> calibrated years, `from` increasing. */
  age?: { from: readonly number[]; to: readonly number[] };
  ageRange?: readonly AgeRangeBand[];
  /** p' = sigmoid(scale * logit(p) + shift) for the male probability. */
  gender?: { scale: number; shift: number };
}

/**
 * Piecewise-linear interpolation through the knots, continuing the end segments' slopes.
 *
 * @example interpolate([0, 10, 20], [2, 10, 25], 15); // 17.5
 */
export function interpolate(from: readonly number[], to: readonly number[], x: number): number {
  if (from.length === 1) return to[0]! + (x - from[0]!);
  let k = 0;
  while (k < from.length - 2 && x > from[k + 1]!) k++;
  const t = (x - from[k]!) / (from[k + 1]! - from[k]!);
  return to[k]! + t * (to[k + 1]! - to[k]!);
}

const logit = (p: number) => Math.log(p / (1 - p));
const clampProbability = (p: number) => Math.min(1 - 1e-6, Math.max(1e-6, p));

/**
 * One prediction, calibrated.
 *
 * @example
 *   calibratePrediction({ ageYears: 8, gender: { label: 'male', probability: 0.99 } }, calibration);
 *   // { ageYears: 6.1, ageRange: [3.9, 9.0], gender: { label: 'male', probability: 0.96 } }
 */
export function calibratePrediction(prediction: AttributePrediction, calibration: AttributeCalibration): AttributePrediction {
  const out: AttributePrediction = { ...prediction };
  if (prediction.ageYears !== undefined) {
    const years = calibration.age ? Math.max(0, interpolate(calibration.age.from, calibration.age.to, prediction.ageYears)) : prediction.ageYears;
    out.ageYears = years;
    const band = calibration.ageRange?.find((b) => years < b.below);
    if (band) out.ageRange = [Math.max(0, years + band.low), years + band.high];
  }
  if (prediction.gender && calibration.gender) {
    const male = clampProbability(prediction.gender.label === 'male' ? prediction.gender.probability : 1 - prediction.gender.probability);
    const calibrated = 1 / (1 + Math.exp(-(calibration.gender.scale * logit(male) + calibration.gender.shift)));
    out.gender = calibrated > 0.5 ? { label: 'male', probability: calibrated } : { label: 'female', probability: 1 - calibrated };
  }
  return out;
}

/**
 * Wraps a predictor's factory so every prediction is calibrated.
 *
 * @example
 *   const factory = calibratedPredictor(createFaceApiAgeGenderPredictor, FACEAPI_AGE_GENDER_CALIBRATION);
 */
export function calibratedPredictor(factory: RunnerFactory<AttributePredictor>, calibration: AttributeCalibration): RunnerFactory<AttributePredictor> {
  return (session) => {
    const inner = factory(session);
    return {
      cropSide: inner.cropSide,
      predict: async (image, faces) => (await inner.predict(image, faces)).map((p) => calibratePrediction(p, calibration)),
    };
  };
}
