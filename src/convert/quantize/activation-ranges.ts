/**
 * Activation ranges: what calibration measures for each tensor (its min,
 * max and tail percentiles over the calibration inputs) and how a range
 * becomes uint8 quantisation parameters.
 */
import { roundHalfEven } from './weight-quantization.js';

/** The range methods the calibration table holds for each tensor. */
export const RANGE_METHODS = ['minmax', 'p99.9', 'p99.99', 'p99.999'] as const;
export type RangeMethod = (typeof RANGE_METHODS)[number];

/** One tensor's measured range for each method, as [low, high]. */
export type TensorRanges = Record<RangeMethod, [number, number]>;

export interface QuantParams {
  scale: number;
  zeroPoint: number;
}

const PERCENTILES: Record<Exclude<RangeMethod, 'minmax'>, number> = { 'p99.9': 0.999, 'p99.99': 0.9999, 'p99.999': 0.99999 };
const BINS = 8192;

/**
 * uint8 parameters covering [low, high] widened to hold 0 (zero must be
 * exact: padding and ReLU outputs are zeros). A range starting at 0 gets
 * zero point 0, which is what lets a ReLU or ReLU6 fold into the Q.
 */
export function uint8Params([low, high]: readonly [number, number]): QuantParams {
  const lo = Math.min(low, 0);
  let hi = Math.max(high, 0);
  if (hi - lo < 1e-6) hi = lo + 1e-6;
  const scale = Math.fround((hi - lo) / 255);
  const zeroPoint = Math.max(0, Math.min(255, roundHalfEven(-lo / scale)));
  return { scale, zeroPoint };
}

/**
 * Accumulates one tensor's values over many runs in two passes: `observeExtent`
 * on every run first (min and max), then `observeHistogram` on the same runs,
 * from which the percentiles are read.
 */
export class RangeAccumulator {
  min = Infinity;
  max = -Infinity;
  private histogram?: Float64Array;
  private count = 0;

  observeExtent(values: Float32Array): void {
    let { min, max } = this;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    this.min = min;
    this.max = max;
  }

  observeHistogram(values: Float32Array): void {
    const histogram = (this.histogram ??= new Float64Array(BINS));
    const width = (this.max - this.min) / BINS || 1;
    for (let i = 0; i < values.length; i++) {
      const bin = Math.min(BINS - 1, Math.max(0, Math.floor((values[i]! - this.min) / width)));
      histogram[bin]! += 1;
    }
    this.count += values.length;
  }

  /** The value below which `fraction` of the observed values lie (upper bin edge). */
  private quantile(fraction: number): number {
    const histogram = this.histogram;
    if (!histogram || this.count === 0) return fraction < 0.5 ? this.min : this.max;
    const width = (this.max - this.min) / BINS;
    const target = fraction * this.count;
    let seen = 0;
    for (let bin = 0; bin < BINS; bin++) {
      seen += histogram[bin]!;
      if (seen >= target) return this.min + (bin + 1) * width;
    }
    return this.max;
  }

  ranges(): TensorRanges {
    const round = (v: number) => Number(v.toPrecision(6));
    const result = { minmax: [round(this.min), round(this.max)] } as TensorRanges;
    for (const [method, p] of Object.entries(PERCENTILES) as [Exclude<RangeMethod, 'minmax'>, number][]) {
      // The low tail only matters for tensors that go negative; ReLU outputs keep their exact 0.
      const low = this.min >= 0 ? this.min : Math.min(0, this.quantile(1 - p) - (this.max - this.min) / BINS);
      result[method] = [round(low), round(Math.min(this.max, this.quantile(p)))];
    }
    return result;
  }
}
