import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fnv1a, selectSplit, splitOf, spreadSubset } from '../../../src/eval/split.js';

test('FNV-1a matches its reference values', () => {
  assert.equal(fnv1a(''), 0x811c9dc5);
  assert.equal(fnv1a('a'), 0xe40c292c);
  assert.equal(fnv1a('foobar'), 0xbf9cf968);
});

test('the split is stable, about half and half, and keeps one key on one side', () => {
  const keys = Array.from({ length: 2000 }, (_, i) => `person-${i}`);
  const dev = keys.filter((k) => splitOf(k) === 'dev').length;
  assert.ok(dev > 900 && dev < 1100, `dev has ${dev} of 2000`);
  const samples = keys.flatMap((k) => [{ splitKey: k, n: 1 }, { splitKey: k, n: 2 }]);
  const devSamples = selectSplit(samples, 'dev');
  const testSamples = selectSplit(samples, 'test');
  assert.equal(devSamples.length + testSamples.length, samples.length);
  const devKeys = new Set(devSamples.map((s) => s.splitKey));
  assert.ok(testSamples.every((s) => !devKeys.has(s.splitKey)));
  assert.equal(selectSplit(samples, 'all').length, samples.length);
});

test('an evenly spread subset', () => {
  assert.deepEqual(spreadSubset([1, 2, 3, 4, 5, 6], 3), [1, 3, 5]);
  assert.deepEqual(spreadSubset([1, 2], 5), [1, 2]);
  assert.deepEqual(spreadSubset([1, 2], undefined), [1, 2]);
});
