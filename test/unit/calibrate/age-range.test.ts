import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fitAgeRange, quantile } from '../../../src/calibrate/age-range.js';
import { attributeMetrics, expectedCalibrationError } from '../../../src/eval/metrics/attribute-metrics.js';
import { calibratePrediction } from '../../../src/pipeline/attributes/attribute-calibration.js';

describe('age range for a stated coverage', () => {
  it('quantiles interpolate between order statistics', () => {
    assert.equal(quantile([5, 1, 4, 2, 3], 0.5), 3);
    assert.ok(Math.abs(quantile([1, 2, 3, 4, 5], 0.1) - 1.4) < 1e-12);
    assert.equal(quantile([7], 0.9), 7);
    assert.throws(() => quantile([], 0.5), /at least one value/);
  });

  it('one bin: the range runs between the residual quantiles', () => {
    assert.deepEqual(fitAgeRange([10, 10, 10, 10, 10], [8, 9, 10, 11, 12], 0.5, 5), [{ below: Infinity, low: -1, high: 1 }]);
  });

  it('bins by predicted age: young faces get a narrow range, old ones a wide one', () => {
    const predicted = [...Array(10).fill(5), ...Array(10).fill(50)];
    const truth = [...[3, 4, 4, 5, 5, 5, 5, 6, 6, 7], ...[35, 40, 45, 48, 50, 50, 52, 55, 60, 65]];
    const [young, old] = fitAgeRange(predicted, truth, 0.8, 10);
    assert.equal(young!.below, 27.5, 'half-way between the bins');
    assert.equal(old!.below, Infinity);
    assert.deepEqual([young!.low, young!.high], [quantile(truth.slice(0, 10).map((t) => t - 5), 0.1), quantile(truth.slice(0, 10).map((t) => t - 5), 0.9)]);
    assert.ok(old!.high - old!.low > 3 * (young!.high - young!.low));
  });

  it('covers about the stated share of the faces it was fitted on', () => {
    let seed = 3;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const predicted = Array.from({ length: 2000 }, () => 10 + 70 * random()); // true ages stay above 0, where ranges are clamped
    const truth = predicted.map((p) => p + (2 + p / 5) * (random() - 0.5) * 4);
    const bands = fitAgeRange(predicted, truth, 0.8, 100);
    assert.equal(bands.length, 6);
    const outcomes = predicted.map((p, i) => {
      const { ageRange } = calibratePrediction({ ageYears: p }, { ageRange: bands });
      return { trueAge: truth[i]!, trueGender: 'male' as const, detected: true, predictedAge: p, ageRange: ageRange! };
    });
    const m = attributeMetrics(outcomes);
    assert.ok(Math.abs(m.rangeCoverage! - 0.8) < 0.02, `coverage ${m.rangeCoverage}`);
  });

  it('refuses a coverage outside (0, 1)', () => {
    assert.throws(() => fitAgeRange([1], [1], 1, 1), /coverage between 0 and 1/);
  });
});

describe('calibration error (ECE), by hand', () => {
  it('two bins, each 0.05 off, weigh half each: 0.05', () => {
    const pairs = [
      ...Array.from({ length: 10 }, (_, i) => ({ confidence: 0.95, correct: i < 9 })), // says 0.95, right 0.9
      ...Array.from({ length: 10 }, (_, i) => ({ confidence: 0.65, correct: i < 7 })), // says 0.65, right 0.7
    ];
    assert.ok(Math.abs(expectedCalibrationError(pairs) - 0.05) < 1e-12);
  });
});
