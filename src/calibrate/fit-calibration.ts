/**
 * Fits a profile's calibration on labelled outcomes (what the base profile
 * said about photos of known age and gender): the monotone age map
 * (isotonic.ts), the age range for a stated coverage (age-range.ts) and
 * temperature scaling of the gender probability (gender-scaling.ts). Only
 * faces the profile found count: a missed face says nothing about its answers.
 *
 * Temperature, not full Platt scaling: a temperature never moves a face to
 * the other label, so gender accuracy cannot drop. On All-Age-Faces dev the
 * Platt shift cost 1.6 points of accuracy on the held-out part (89.5% ->
 * 87.9%) for a worse calibration error (ECE 0.030 against 0.022 with a
 * temperature).
 */
import { calibratePrediction, type AttributeCalibration } from '../pipeline/attributes/attribute-calibration.js';
import { AGE_BANDS, ageBandOf, type AttributeOutcome } from '../eval/metrics/attribute-metrics.js';
import { fitAgeRange } from './age-range.js';
import { fitPlatt } from './gender-scaling.js';
import { fitMonotoneMap } from './isotonic.js';

export interface DataMinimums {
  /** Labelled photos in all (fit and held-out parts together). */
  photos: number;
  /** Photos in the fit part for each age band that has any. */
  perBand: number;
}

/** What `faceread calibrate` asks for (see the README): below this the held-out figures and the fit are noise. */
export const DATA_MINIMUMS: DataMinimums = { photos: 200, perBand: 20 };

/**
 * Throws a RangeError saying how many photos are missing, or returns quietly. `fitShare`: the
 * share of photos that go to the fit part (1 - holdout), to say how many labelled photos to add.
 *
 * @example checkDataMinimums(150, fitAges, DATA_MINIMUMS); // RangeError: Too little data to calibrate: it needs at least 200 labelled photos in all (found 150: add 50)
 */
export function checkDataMinimums(totalPhotos: number, fitAges: readonly number[], minimums: DataMinimums, fitShare = 0.7): void {
  const problems: string[] = [];
  if (totalPhotos < minimums.photos) problems.push(`at least ${minimums.photos} labelled photos in all (found ${totalPhotos}: add ${minimums.photos - totalPhotos})`);
  for (const band of AGE_BANDS) {
    const count = fitAges.filter((age) => ageBandOf(age) === band.label).length;
    if (count > 0 && count < minimums.perBand) {
      problems.push(`at least ${minimums.perBand} photos aged ${band.label} in the fit part (found ${count}: add about ${Math.ceil((minimums.perBand - count) / fitShare)} labelled photos of that age, or remove those ${count})`);
    }
  }
  if (problems.length > 0) throw new RangeError(`Too little data to calibrate: it needs ${problems.join('; and ')}.`);
}

/** A found face with its answers, as the fit reads it. */
type Answered = AttributeOutcome & { predictedAge: number };

const maleProbability = (o: AttributeOutcome) => (o.predictedGender === 'male' ? o.genderProbability! : 1 - o.genderProbability!);

/** Blocks of the age map hold at least this many photos (about 30 knots at most; each knot's mean steady to about a year). */
const minBlockFor = (n: number) => Math.max(10, Math.ceil(n / 30));
/**
 * Blocks take the median of their true ages: the map then fits the conditional median, which is what
 * minimises the mean absolute error that users read (on All-Age-Faces dev's held-out part it gave
 * 6.17 against 6.19 with the mean, and it follows a few outlying labels less).
 */
const AGE_MAP_LOSS = 'median';
/** Each range bin holds at least this many photos, so its 10th and 90th percentiles rest on ten or more photos each. */
const MIN_PER_RANGE_BIN = 100;

/**
 * @example
 *   const calibration = fitCalibration(fitOutcomes, { coverage: 0.8 });
 *   calibration.age.from; // knots of the monotone age map
 */
export function fitCalibration(outcomes: readonly AttributeOutcome[], { coverage }: { coverage: number }): AttributeCalibration {
  const aged = outcomes.filter((o): o is Answered => o.detected && o.predictedAge !== undefined);
  if (aged.length === 0) throw new RangeError('Expected faces with a predicted age to calibrate on but the profile found none in the photos');
  const age = fitMonotoneMap(aged.map((o) => o.predictedAge), aged.map((o) => o.trueAge), minBlockFor(aged.length), AGE_MAP_LOSS);
  // The range is fitted on out-of-fold residuals (two folds: each half's ages mapped by the map
  // fitted on the other half), so it measures errors on photos the map did not see, as users' will be.
  const folds = [0, 1].map((fold) => aged.filter((_, i) => i % 2 === fold));
  const predicted: number[] = [];
  const truth: number[] = [];
  folds.forEach((fold, k) => {
    const other = folds[1 - k]!;
    const map = other.length > 0 ? fitMonotoneMap(other.map((o) => o.predictedAge), other.map((o) => o.trueAge), minBlockFor(other.length), AGE_MAP_LOSS) : age;
    for (const o of fold) predicted.push(calibratePrediction({ ageYears: o.predictedAge }, { age: map }).ageYears!), truth.push(o.trueAge);
  });
  const calibration: AttributeCalibration = { age, ageRange: fitAgeRange(predicted, truth, coverage, MIN_PER_RANGE_BIN) };
  const gendered = outcomes.filter((o) => o.detected && o.predictedGender !== undefined && o.genderProbability !== undefined);
  if (gendered.length > 0) calibration.gender = fitPlatt(gendered.map(maleProbability), gendered.map((o) => o.trueGender === 'male'), { temperatureOnly: true });
  return calibration;
}

/**
 * Outcomes as a calibration would have made them (missed faces stay missed).
 *
 * @example applyCalibration(heldOut, calibration).map((o) => o.predictedAge);
 */
export function applyCalibration<T extends AttributeOutcome>(outcomes: readonly T[], calibration: AttributeCalibration | undefined): T[] {
  if (!calibration) return [...outcomes];
  return outcomes.map((o) => {
    if (!o.detected) return o;
    const out = calibratePrediction(
      {
        ...(o.predictedAge !== undefined ? { ageYears: o.predictedAge } : {}),
        ...(o.predictedGender && o.genderProbability !== undefined ? { gender: { label: o.predictedGender, probability: o.genderProbability } } : {}),
        ...(o.ageRange ? { ageRange: o.ageRange } : {}),
      },
      calibration,
    );
    const next: T = { ...o };
    if (out.ageYears !== undefined) next.predictedAge = out.ageYears;
    if (out.ageRange) next.ageRange = out.ageRange;
    if (out.gender) (next.predictedGender = out.gender.label), (next.genderProbability = out.gender.probability);
    return next;
  });
}
