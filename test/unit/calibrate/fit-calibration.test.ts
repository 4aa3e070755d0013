import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyCalibration, checkDataMinimums, DATA_MINIMUMS, fitCalibration } from '../../../src/calibrate/fit-calibration.js';
import { compareHeldOut } from '../../../src/calibrate/held-out-check.js';
import { labelsSha256 } from '../../../src/calibrate/run-calibration.js';
import { attributeMetrics, type AttributeOutcome } from '../../../src/eval/metrics/attribute-metrics.js';

/** A model that reads everyone 20% too young plus noise, and is overconfident about gender (says 0.99, right 90%). */
function population(n: number, seed: number): AttributeOutcome[] {
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  return Array.from({ length: n }, (_, i) => {
    const trueAge = 2 + Math.round(76 * random());
    const male = i % 2 === 0;
    const right = random() < 0.9;
    return {
      trueAge,
      trueGender: male ? 'male' : 'female',
      detected: true,
      predictedAge: 0.8 * trueAge + 6 * (random() - 0.5),
      predictedGender: (male === right ? 'male' : 'female') as 'male' | 'female',
      genderProbability: 0.99,
    };
  });
}

describe('fitting a calibration', () => {
  const fit = population(1500, 11);
  const heldOut = population(600, 12);
  const calibration = fitCalibration(fit, { coverage: 0.8 });
  const before = attributeMetrics(heldOut);
  const after = attributeMetrics(applyCalibration(heldOut, calibration));

  it('removes a known age bias on photos it did not see', () => {
    assert.ok(before.ageBias < -5, `the synthetic model reads young (${before.ageBias})`);
    assert.ok(Math.abs(after.ageBias) < 1, `bias after ${after.ageBias}`);
    assert.ok(after.ageMae < before.ageMae - 4, `MAE ${before.ageMae} -> ${after.ageMae}`);
  });

  it('makes the gender probability say how often it is right, without changing any label', () => {
    assert.ok(before.genderEce! > 0.08);
    assert.ok(after.genderEce! < 0.03, `ECE ${after.genderEce}`);
    assert.equal(after.genderAccuracy, before.genderAccuracy);
  });

  it('gives an age range covering about the stated share of held-out faces', () => {
    assert.ok(Math.abs(after.rangeCoverage! - 0.8) < 0.05, `coverage ${after.rangeCoverage}`);
  });

  it('leaves missed faces missed', () => {
    const missed: AttributeOutcome = { trueAge: 40, trueGender: 'male', detected: false };
    assert.deepEqual(applyCalibration([missed], calibration), [missed]);
  });

  it('the held-out check passes it, and refuses the reverse', () => {
    const calibrated = applyCalibration(heldOut, calibration);
    assert.deepEqual(compareHeldOut(heldOut, calibrated).worse, []);
    const worse = compareHeldOut(calibrated, heldOut).worse;
    assert.ok(worse.some((w) => /^age MAE/.test(w)) && worse.some((w) => /^gender ECE/.test(w)), worse.join('; '));
  });
});

describe('data minimums', () => {
  it('says how many photos are missing', () => {
    assert.throws(() => checkDataMinimums(150, Array(150).fill(30), DATA_MINIMUMS), /at least 200 labelled photos in all \(found 150: add 50\)/);
  });

  it('counts each age band that has photos in the fit part', () => {
    const ages = [...Array(300).fill(30), ...Array(7).fill(65)];
    assert.throws(() => checkDataMinimums(400, ages, DATA_MINIMUMS), /at least 20 photos aged 60\+ in the fit part \(found 7/);
    assert.doesNotThrow(() => checkDataMinimums(400, Array(300).fill(30), DATA_MINIMUMS), 'a band with no photos is not used');
  });
});

describe('labels hash', () => {
  it('is the same in any order and changes with any label', () => {
    const a = { name: 'a.jpg', age: 30, gender: 'male' as const };
    const b = { name: 'b.jpg', age: 41, gender: 'female' as const };
    assert.equal(labelsSha256([a, b]), labelsSha256([b, a]));
    assert.notEqual(labelsSha256([a, b]), labelsSha256([a, { ...b, age: 42 }]));
    assert.match(labelsSha256([a]), /^[0-9a-f]{64}$/);
  });
});
