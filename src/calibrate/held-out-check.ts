/**
 * Before/after figures on the held-out part and the verdict: a calibration
 * that makes the held-out part worse than the base profile is not saved
 * (unless forced). "Worse" allows for the noise of a few hundred photos:
 * age MAE up by more than 0.05 years, gender accuracy down by more than
 * half a point, or gender ECE up by more than 0.01.
 */
import { attributeReport, type AgeBand, type AttributeMetrics, type AttributeOutcome } from '../eval/metrics/attribute-metrics.js';

export interface HeldOutFigures {
  overall: AttributeMetrics;
  byBand: Record<AgeBand, AttributeMetrics>;
}

export interface HeldOutComparison {
  before: HeldOutFigures;
  after: HeldOutFigures;
  /** Why the calibration is worse than the base; empty when it is not. */
  worse: string[];
}

export const WORSE_TOLERANCE = { ageMae: 0.05, genderAccuracy: 0.005, genderEce: 0.01 };

/**
 * @example
 *   const { worse } = compareHeldOut(baseOutcomes, calibratedOutcomes);
 *   if (worse.length > 0 && !force) throw ...
 */
export function compareHeldOut(before: readonly AttributeOutcome[], after: readonly AttributeOutcome[]): HeldOutComparison {
  const b = attributeReport(before);
  const a = attributeReport(after);
  const worse: string[] = [];
  const fmt = (x: number | undefined, digits: number) => (x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(digits));
  if (a.overall.ageMae > b.overall.ageMae + WORSE_TOLERANCE.ageMae) worse.push(`age MAE ${fmt(b.overall.ageMae, 2)} -> ${fmt(a.overall.ageMae, 2)} years`);
  if (a.overall.genderAccuracy < b.overall.genderAccuracy - WORSE_TOLERANCE.genderAccuracy) {
    worse.push(`gender accuracy ${fmt(100 * b.overall.genderAccuracy, 1)}% -> ${fmt(100 * a.overall.genderAccuracy, 1)}%`);
  }
  if (a.overall.genderEce !== undefined && b.overall.genderEce !== undefined && a.overall.genderEce > b.overall.genderEce + WORSE_TOLERANCE.genderEce) {
    worse.push(`gender ECE ${fmt(b.overall.genderEce, 3)} -> ${fmt(a.overall.genderEce, 3)}`);
  }
  return { before: b, after: a, worse };
}
