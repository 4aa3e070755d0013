/**
 * Accuracy of age and gender against labels. A face the detector missed is
 * an error, not dropped: its gender counts as wrong and its age as the
 * guess `MISSED_FACE_AGE` (what a product that says nothing would be
 * worth), so a detector that skips hard faces cannot flatter the figures.
 */
import { bucketForAge } from '../../pipeline/age-buckets.js';
import { AGE_BUCKETS, type GenderLabel } from '../../types.js';

/** The age charged for a face that was not found. */
export const MISSED_FACE_AGE = 30;

export const AGE_BANDS = [
  { label: '0-12', low: 0, high: 12 },
  { label: '13-19', low: 13, high: 19 },
  { label: '20-39', low: 20, high: 39 },
  { label: '40-59', low: 40, high: 59 },
  { label: '60+', low: 60, high: Infinity },
] as const;

export type AgeBand = (typeof AGE_BANDS)[number]['label'];

/** One labelled face and what FaceRead said about it (nothing when it was missed). */
export interface AttributeOutcome {
  trueAge: number;
  trueGender: GenderLabel;
  detected: boolean;
  predictedAge?: number;
  ageRange?: [number, number];
  predictedGender?: GenderLabel;
  /** Probability of the predicted gender label. */
  genderProbability?: number;
}

export interface AttributeMetrics {
  faces: number;
  detected: number;
  /** Correct gender / all faces (misses are wrong). */
  genderAccuracy: number;
  /** Mean |age error| over all faces (misses charged `MISSED_FACE_AGE`). */
  ageMae: number;
  /** Mean |age error| over found faces only. */
  ageMaeFound: number;
  /** Mean (predicted - true) over found faces: positive means too old. */
  ageBias: number;
  /** Share of all faces with |age error| <= 5 years. */
  cs5: number;
  /** Share of all faces in the right one of the 8 classic buckets, and within one bucket. */
  bucketExact: number;
  bucketOneOff: number;
  /** Share of found faces whose true age is inside the predicted range (when ranges are given). */
  rangeCoverage?: number;
  rangeMeanWidth?: number;
  /** Expected calibration error of the gender probability (10 bins), over found faces. */
  genderEce?: number;
}

const mean = (values: readonly number[]) => (values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length);
const bucketIndex = (age: number) => AGE_BUCKETS.indexOf(bucketForAge(age));

/** Expected calibration error: |confidence - accuracy| averaged over 10 confidence bins, weighted by count. */
export function expectedCalibrationError(pairs: readonly { confidence: number; correct: boolean }[]): number {
  const bins = Array.from({ length: 10 }, () => ({ n: 0, confidence: 0, correct: 0 }));
  for (const { confidence, correct } of pairs) {
    const bin = bins[Math.min(9, Math.floor(confidence * 10))]!;
    bin.n++;
    bin.confidence += confidence;
    bin.correct += correct ? 1 : 0;
  }
  return bins.reduce((sum, b) => sum + (b.n === 0 ? 0 : (b.n / pairs.length) * Math.abs(b.confidence / b.n - b.correct / b.n)), 0);
}

/**
 * Metrics over a set of outcomes.
 *
 * @example
 *   attributeMetrics([{ trueAge: 30, trueGender: 'male', detected: true, predictedAge: 33, predictedGender: 'male', genderProbability: 0.9 }]);
 *   // { faces: 1, genderAccuracy: 1, ageMae: 3, cs5: 1, bucketExact: 1, ... }
 */
export function attributeMetrics(outcomes: readonly AttributeOutcome[]): AttributeMetrics {
  const found = outcomes.filter((o) => o.detected && o.predictedAge !== undefined);
  const predicted = (o: AttributeOutcome) => (o.detected && o.predictedAge !== undefined ? o.predictedAge : MISSED_FACE_AGE);
  const errors = outcomes.map((o) => Math.abs(predicted(o) - o.trueAge));
  const bucketGaps = outcomes.map((o) => (o.detected && o.predictedAge !== undefined ? Math.abs(bucketIndex(o.predictedAge) - bucketIndex(o.trueAge)) : Infinity));
  const metrics: AttributeMetrics = {
    faces: outcomes.length,
    detected: outcomes.filter((o) => o.detected).length,
    genderAccuracy: mean(outcomes.map((o) => (o.detected && o.predictedGender === o.trueGender ? 1 : 0))),
    ageMae: mean(errors),
    ageMaeFound: mean(found.map((o) => Math.abs(o.predictedAge! - o.trueAge))),
    ageBias: mean(found.map((o) => o.predictedAge! - o.trueAge)),
    cs5: mean(errors.map((e, i) => (outcomes[i]!.detected && e <= 5 ? 1 : 0))),
    bucketExact: mean(bucketGaps.map((g) => (g === 0 ? 1 : 0))),
    bucketOneOff: mean(bucketGaps.map((g) => (g <= 1 ? 1 : 0))),
  };
  const ranged = found.filter((o) => o.ageRange);
  if (ranged.length > 0) {
    metrics.rangeCoverage = mean(ranged.map((o) => (o.trueAge >= o.ageRange![0] && o.trueAge <= o.ageRange![1] ? 1 : 0)));
    metrics.rangeMeanWidth = mean(ranged.map((o) => o.ageRange![1] - o.ageRange![0]));
  }
  const gendered = outcomes.filter((o) => o.detected && o.predictedGender && o.genderProbability !== undefined);
  if (gendered.length > 0) {
    metrics.genderEce = expectedCalibrationError(gendered.map((o) => ({ confidence: o.genderProbability!, correct: o.predictedGender === o.trueGender })));
  }
  return metrics;
}

/** The age band of a true age. */
export function ageBandOf(age: number): AgeBand {
  // The last band starting at or below the age, so fractional ages (12.5) fall somewhere.
  return [...AGE_BANDS].reverse().find((b) => age >= b.low)?.label ?? '0-12';
}

/**
 * Metrics overall and for each age band (by true age).
 *
 * @example
 *   const { overall, byBand } = attributeReport(outcomes);
 *   byBand['0-12'].ageMae;
 */
export function attributeReport(outcomes: readonly AttributeOutcome[]): { overall: AttributeMetrics; byBand: Record<AgeBand, AttributeMetrics> } {
  const byBand = Object.fromEntries(
    AGE_BANDS.map((band) => [band.label, attributeMetrics(outcomes.filter((o) => ageBandOf(o.trueAge) === band.label))]),
  ) as Record<AgeBand, AttributeMetrics>;
  return { overall: attributeMetrics(outcomes), byBand };
}
