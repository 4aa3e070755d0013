/**
 * Maps an age in years to the classic Levi-Hassner bucket. The buckets
 * leave gaps (3, 7, 13-14, 21-24, ...): an age in a gap goes to the nearer
 * bucket, and to the younger one when both are equally near.
 */
import { AGE_BUCKETS, type AgeBucket } from '../types.js';

const RANGES = AGE_BUCKETS.map((bucket) => {
  const [low, high] = bucket.split('-').map(Number) as [number, number];
  return { bucket, low, high };
});

/**
 * @example bucketForAge(28) // '25-32'
 * @example bucketForAge(23) // '25-32' (2 years from 25, 3 from 20)
 */
export function bucketForAge(years: number): AgeBucket {
  if (!Number.isFinite(years)) throw new RangeError(`Expected a finite number of years but received ${years}`);
  let best = RANGES[0]!;
  let bestDistance = Infinity;
  for (const range of RANGES) {
    const distance = years < range.low ? range.low - years : years > range.high ? years - range.high : 0;
    if (distance < bestDistance) {
      best = range;
      bestDistance = distance;
    }
  }
  return best.bucket;
}

/** Midpoint in years of each bucket, in bucket order (for models that predict buckets). */
export const BUCKET_MIDPOINTS: readonly number[] = RANGES.map((r) => (r.low + r.high) / 2);
