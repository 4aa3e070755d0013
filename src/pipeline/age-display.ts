/**
 * How an age is shown next to its bucket, so that the two never look
 * contradictory. The bucket is the nearest of the eight classic ones, and
 * the buckets leave gaps (21-24, 33-37, ...): a face of 23 gets 25-32.
 *
 * The rule: ages are shown in whole years; the bucket is shown plainly only
 * when those whole years lie inside it, else it is marked as the nearest
 * bucket ("23 y (nearest 25-32)", Chinese "最接近 25-32"). A calibrated range,
 * when the profile gives one, is shown in whole years beside the years.
 * The CLI table, the CSV, the drawn overlay and the web page (web/overlay.js,
 * which repeats this rule in plain JS) all follow it.
 */
import type { AgeBucket, FaceResult } from '../types.js';

export interface AgeShown {
  /** Whole years, as displayed. */
  years: number;
  bucket: AgeBucket;
  /** True when the displayed years lie outside the bucket, which is then only the nearest one. */
  nearest: boolean;
  /** The calibrated range in whole years, when the profile gives one. */
  range?: [low: number, high: number];
}

/**
 * @example ageShown({ years: 23.1, bucket: '25-32' }) // { years: 23, bucket: '25-32', nearest: true }
 */
export function ageShown(age: NonNullable<FaceResult['age']>): AgeShown {
  const years = Math.round(age.years);
  const [low, high] = age.bucket.split('-').map(Number) as [number, number];
  const shown: AgeShown = { years, bucket: age.bucket, nearest: years < low || years > high };
  if (age.range) shown.range = [Math.round(age.range[0]), Math.round(age.range[1])];
  return shown;
}

/**
 * The English text of an age, as the CLI table and the drawn overlay show it.
 * @example ageText({ years: 23.1, bucket: '25-32' })                     // '23 y (nearest 25-32)'
 * @example ageText({ years: 39.4, bucket: '38-43', range: [33.2, 46.8] }) // '39 y, 33-47 (38-43)'
 */
export function ageText(age: NonNullable<FaceResult['age']>): string {
  const shown = ageShown(age);
  const range = shown.range ? `, ${shown.range[0]}-${shown.range[1]}` : '';
  return `${shown.years} y${range} (${shown.nearest ? 'nearest ' : ''}${shown.bucket})`;
}
