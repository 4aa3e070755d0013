import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ageShown, ageText } from '../../../src/pipeline/age-display.js';
import { bucketForAge } from '../../../src/pipeline/age-buckets.js';

test('the ages users reported as bugs are shown with their nearest bucket, never as if inside it', () => {
  assert.equal(ageText({ years: 23.1, bucket: '25-32' }), '23 y (nearest 25-32)');
  assert.equal(ageText({ years: 36, bucket: '38-43' }), '36 y (nearest 38-43)');
  assert.equal(ageText({ years: 22, bucket: '15-20' }), '22 y (nearest 15-20)');
  assert.equal(ageText({ years: 28.4, bucket: '25-32' }), '28 y (25-32)');
});

test('the whole years shown decide: 32.4 is shown as 32 inside 25-32, 32.6 as 33 nearest 25-32', () => {
  assert.deepEqual(ageShown({ years: 32.4, bucket: '25-32' }), { years: 32, bucket: '25-32', nearest: false });
  assert.deepEqual(ageShown({ years: 32.6, bucket: '25-32' }), { years: 33, bucket: '25-32', nearest: true });
});

test('a calibrated range is shown in whole years beside the years', () => {
  assert.equal(ageText({ years: 39.425831451416016, bucket: '38-43', range: [33.21, 46.8] }), '39 y, 33-47 (38-43)');
});

test('for every age from 0 to 100 in tenths, the text says "nearest" exactly when the shown years lie outside the bucket', () => {
  for (let tenths = 0; tenths <= 1000; tenths++) {
    const years = tenths / 10;
    const bucket = bucketForAge(years);
    const [low, high] = bucket.split('-').map(Number) as [number, number];
    const text = ageText({ years, bucket });
    const shown = Number(text.split(' ')[0]);
    assert.equal(text.includes('nearest'), shown < low || shown > high, `${years}: ${text}`);
  }
});
