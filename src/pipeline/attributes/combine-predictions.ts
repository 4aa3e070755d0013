/**
 * The ensemble step: when a profile loads several models that provide the
 * same attribute, each face's answer is their average (gender: the mean
 * probability of "male"; age: the mean of the years, and of the range ends
 * when every model gives a range). Models err differently, so the mean is
 * closer than most of its parts (measured in docs/accuracy.md). With one
 * model this returns its prediction unchanged.
 */
import type { AttributePrediction } from '../runner-types.js';

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * Combines one face's gender predictions (undefined: no model answered).
 *
 * @example
 *   combineGender([{ gender: { label: 'male', probability: 0.9 } }, { gender: { label: 'female', probability: 0.6 } }]);
 *   // { label: 'male', probability: 0.65 }
 */
export function combineGender(predictions: readonly (AttributePrediction | undefined)[]): AttributePrediction['gender'] {
  const genders = predictions.flatMap((p) => (p?.gender ? [p.gender] : []));
  if (genders.length <= 1) return genders[0];
  const male = mean(genders.map((g) => (g.label === 'male' ? g.probability : 1 - g.probability)));
  return male > 0.5 ? { label: 'male', probability: male } : { label: 'female', probability: 1 - male };
}

/**
 * Combines one face's age predictions.
 *
 * @example
 *   combineAge([{ ageYears: 30, ageRange: [25, 36] }, { ageYears: 34, ageRange: [29, 40] }]);
 *   // { ageYears: 32, ageRange: [27, 38] }
 */
export function combineAge(predictions: readonly (AttributePrediction | undefined)[]): Pick<AttributePrediction, 'ageYears' | 'ageRange' | 'ageBucketProbabilities'> | undefined {
  const aged = predictions.filter((p): p is AttributePrediction & { ageYears: number } => typeof p?.ageYears === 'number');
  if (aged.length <= 1) return aged[0];
  const combined: Pick<AttributePrediction, 'ageYears' | 'ageRange' | 'ageBucketProbabilities'> = { ageYears: mean(aged.map((p) => p.ageYears)) };
  if (aged.every((p) => p.ageRange)) combined.ageRange = [mean(aged.map((p) => p.ageRange![0])), mean(aged.map((p) => p.ageRange![1]))];
  const withBuckets = aged.find((p) => p.ageBucketProbabilities);
  if (withBuckets) combined.ageBucketProbabilities = withBuckets.ageBucketProbabilities!;
  return combined;
}
