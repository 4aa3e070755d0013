/**
 * `age`: years, the classic bucket, and (calibrated models) an 80% range;
 * bucket models also give each bucket's probability. From the profile's age
 * model(s), averaged when a profile names several.
 */
import { ageShown, ageText } from '../pipeline/age-display.js';
import { bucketForAge } from '../pipeline/age-buckets.js';
import { combineAge } from '../pipeline/attributes/combine-predictions.js';
import { AGE_BUCKETS, type AgeResult } from '../types.js';
import type { AttributeDefinition } from './attribute-definition.js';

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const point = { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 } as const;

export const age: AttributeDefinition<'age', AgeResult> = {
  name: 'age',
  description: 'estimated age in years, its bucket, and an 80% range with calibrated models',
  byDefault: true,
  source: {
    kind: 'models',
    combine(predictions) {
      const combined = combineAge(predictions);
      if (typeof combined?.ageYears !== 'number') return undefined;
      const value: AgeResult = { years: combined.ageYears, bucket: bucketForAge(combined.ageYears) };
      if (combined.ageRange) value.range = combined.ageRange;
      if (combined.ageBucketProbabilities) value.bucketProbabilities = combined.ageBucketProbabilities;
      return value;
    },
  },
  schema: {
    type: 'object',
    properties: {
      years: { type: 'number' },
      bucket: { type: 'string', enum: [...AGE_BUCKETS] },
      range: point,
      bucketProbabilities: {
        type: 'array',
        items: { type: 'number' },
        description: 'For bucket models (OpenCV Levi-Hassner): probability of each bucket, in the order 0-2 ... 60-100.',
      },
    },
  },
  toResult(value) {
    const result: AgeResult = { ...value, years: round(value.years, 1) };
    if (value.range) result.range = [round(value.range[0], 1), round(value.range[1], 1)];
    if (value.bucketProbabilities) result.bucketProbabilities = value.bucketProbabilities.map((p) => round(p, 4));
    return result;
  },
  // `age_bucket_nearest` is true when the age in whole years lies outside its bucket (see age-display.ts).
  csv: {
    columns: ['age', 'age_low', 'age_high', 'age_bucket', 'age_bucket_nearest'],
    always: true,
    cells: (value) => [
      value ? String(value.years) : '', value?.range ? String(value.range[0]) : '', value?.range ? String(value.range[1]) : '',
      value?.bucket ?? '', value ? String(ageShown(value).nearest) : '',
    ],
  },
  // Years right-aligned, the whole age padded so the next column lines up.
  table: (value) => (value ? ' '.repeat(Math.max(0, 3 - String(ageShown(value).years).length)) + ageText(value) : '-').padEnd(21),
  overlay: ageText,
  overlayOrder: 2,
  label: { en: 'age', 'zh-CN': '年龄' },
  page: { builtIn: true },
};
