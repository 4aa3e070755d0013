import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fnv1a, holdOut, selectSplit, splitOf, spreadSubset } from '../../../src/eval/split.js';

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

test('the held-out part: about the asked share of persons, a person on one side only, cut apart from dev/test', () => {
  const keys = Array.from({ length: 2000 }, (_, i) => `person${i}`);
  const samples = keys.flatMap((k) => [{ splitKey: k, n: 1 }, { splitKey: k, n: 2 }]);
  const { fit, heldOut } = holdOut(samples, 0.3);
  assert.equal(fit.length + heldOut.length, samples.length);
  assert.ok(heldOut.length > 0.27 * samples.length && heldOut.length < 0.33 * samples.length, `held out ${heldOut.length} of ${samples.length}`);
  const heldKeys = new Set(heldOut.map((s) => s.splitKey));
  assert.ok(fit.every((s) => !heldKeys.has(s.splitKey)));
  // Within dev, the held-out part is still about 30%: its hash is salted apart from the dev/test split's.
  const dev = selectSplit(samples, 'dev');
  const devHeld = holdOut(dev, 0.3).heldOut.length / dev.length;
  assert.ok(devHeld > 0.26 && devHeld < 0.34, `dev held out ${devHeld}`);
  assert.throws(() => holdOut(samples, 1), /held-out fraction between 0 and 1/);
});
