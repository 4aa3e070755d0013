import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketForAge, BUCKET_MIDPOINTS } from '../../../src/pipeline/age-buckets.js';

const cases: [number, string][] = [
  [0, '0-2'], [2, '0-2'], [2.9, '0-2'], [3, '0-2'], [3.1, '4-6'], [5, '4-6'], [7, '4-6'], [7.5, '8-12'],
  [13, '8-12'], [14, '15-20'], [20, '15-20'], [22.4, '15-20'], [23, '25-32'], [32, '25-32'], [35, '25-32'],
  [35.5, '38-43'], [45, '38-43'], [46, '48-53'], [53, '48-53'], [57, '60-100'], [60, '60-100'], [116, '60-100'], [-1, '0-2'],
];

for (const [years, bucket] of cases) {
  test(`age ${years} falls in bucket ${bucket}`, () => assert.equal(bucketForAge(years), bucket));
}

test('non-finite ages are refused with the value named', () => {
  assert.throws(() => bucketForAge(Number.NaN), /finite number of years but received NaN/);
});

test('bucket midpoints are the centres of the eight buckets', () => {
  assert.deepEqual(BUCKET_MIDPOINTS, [1, 5, 10, 17.5, 28.5, 40.5, 50.5, 80]);
});
