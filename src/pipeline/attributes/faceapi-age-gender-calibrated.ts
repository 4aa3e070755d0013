/**
 * face-api's age/gender net with a calibration fitted on the `dev` half of
 * UTKFace and All-Age-Faces (bench/eval-models.ts, then bench/eval-study.ts
 * 'faceapi|square|mirror' with AGE_MAP=0; figures in docs/accuracy.md): the
 * years are kept (a fitted age map lowered the error on All-Age-Faces but
 * raised it on UTKFace, so it was dropped), the range holds the 10th to 90th
 * percentile of dev's errors for that age, and the male probability is
 * Platt-scaled. Fitted for the runner's default crop (photo square, mirror
 * averaged); a different crop needs a refit. The table is a handful of
 * numbers fitted on research-licensed data (see the licence note in the doc).
 */
import type { AttributePredictor, RunnerFactory } from '../runner-types.js';
import { calibratedPredictor, type AttributeCalibration } from './attribute-calibration.js';
import { createFaceApiAgeGenderPredictor } from './age-gender-faceapi.js';

export const FACEAPI_AGE_GENDER_CALIBRATION: AttributeCalibration = {
  ageRange: [
    { below: 13, low: -1.61, high: 4.87 },
    { below: 20, low: -2.41, high: 13.82 },
    { below: 40, low: -5.76, high: 12.88 },
    { below: 60, low: -12.34, high: 11.15 },
    { below: Infinity, low: -7.66, high: 11.34 },
  ],
  gender: { scale: 1.3281, shift: -0.5249 },
};

/**
 * @example
 *   const predictor = createCalibratedFaceApiAgeGenderPredictor(session);
 *   const [first] = await predictor.predict(image, faces); // { ageYears: 31.4, ageRange: [26.1, 44.0], gender: { label: 'female', probability: 0.93 } }
 */
export const createCalibratedFaceApiAgeGenderPredictor: RunnerFactory<AttributePredictor> = calibratedPredictor(
  createFaceApiAgeGenderPredictor,
  FACEAPI_AGE_GENDER_CALIBRATION,
);
