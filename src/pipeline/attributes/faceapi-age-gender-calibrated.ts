/**
 * face-api's age/gender net with a calibration fitted on the `dev` half of
 * UTKFace and All-Age-Faces (bench/eval-study.ts, AGE_MAP=0; figures in
 * docs/accuracy.md): the years are kept (a fitted age map lowered the error
 * on All-Age-Faces but raised it on UTKFace, so it was dropped), the range
 * holds the 10th to 90th percentile of dev's errors for that age, and the
 * male probability is Platt-scaled. The table is a handful of numbers
 * fitted on research-licensed data (see the licence note in the doc).
 */
import type { AttributePredictor, RunnerFactory } from '../runner-types.js';
import { calibratedPredictor, type AttributeCalibration } from './attribute-calibration.js';
import { createFaceApiAgeGenderPredictor } from './age-gender-faceapi.js';

export const FACEAPI_AGE_GENDER_CALIBRATION: AttributeCalibration = {
  ageRange: [
    { below: 13, low: -1.92, high: 5.68 },
    { below: 20, low: -2.16, high: 13.59 },
    { below: 40, low: -5.28, high: 12.59 },
    { below: 60, low: -12.86, high: 11.18 },
    { below: Infinity, low: -9.44, high: 13.64 },
  ],
  gender: { scale: 1.2013, shift: -0.3944 },
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
