/**
 * An age range with a stated coverage, conditional on the (calibrated)
 * predicted age: the fit photos are sorted by predicted age and cut into
 * bins of equal count; in each bin the range runs from the (1-c)/2 to the
 * (1+c)/2 quantile of the residuals (true - predicted). Errors grow with
 * age (a child is rarely off by 10 years, a 60-year-old often is), so one
 * range for every age would be too wide for children and too narrow for
 * the old.
 */
import type { AgeRangeBand } from '../pipeline/attributes/attribute-calibration.js';

/**
 * The q-quantile of values by linear interpolation between order statistics (R's type 7).
 *
 * @example quantile([1, 2, 3, 4, 5], 0.1); // 1.4
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('Expected at least one value for a quantile but received none');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`Expected a quantile between 0 and 1 but received ${q}`);
  const sorted = [...values].sort((a, b) => a - b);
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (position - below) * (sorted[above]! - sorted[below]!);
}

/** At most this many bins: enough to follow the spread's growth with age, few enough to keep each bin's quantiles steady. */
export const MAX_RANGE_BINS = 6;

/**
 * Range bands for `coverage` (e.g. 0.8) from predicted and true ages; each bin holds at least `minPerBin` photos.
 * A band applies to predicted ages below its `below` (half-way between its last age and the next bin's first).
 *
 * @example
 *   fitAgeRange([10, 10, 10, 10, 10], [8, 9, 10, 11, 12], 0.5, 5);
 *   // [{ below: Infinity, low: -1, high: 1 }]
 */
export function fitAgeRange(predicted: readonly number[], truth: readonly number[], coverage: number, minPerBin: number): AgeRangeBand[] {
  if (!(coverage > 0 && coverage < 1)) throw new RangeError(`Expected a coverage between 0 and 1 (e.g. 0.8) but received ${coverage}`);
  const order = predicted.map((_, i) => i).sort((a, b) => predicted[a]! - predicted[b]!);
  const bins = Math.max(1, Math.min(MAX_RANGE_BINS, Math.floor(order.length / minPerBin)));
  const bands: AgeRangeBand[] = [];
  for (let k = 0; k < bins; k++) {
    const members = order.slice(Math.floor((k * order.length) / bins), Math.floor(((k + 1) * order.length) / bins));
    const residuals = members.map((i) => truth[i]! - predicted[i]!);
    const next = order[Math.floor(((k + 1) * order.length) / bins)];
    const below = k === bins - 1 || next === undefined ? Infinity : (predicted[members.at(-1)!]! + predicted[next]!) / 2;
    bands.push({ below, low: quantile(residuals, (1 - coverage) / 2), high: quantile(residuals, (1 + coverage) / 2) });
  }
  return bands;
}
