import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Catalogue } from '../../../src/models/catalogue.js';
import { appliedCalibration, calibrationProblem, type ProfileCalibration } from '../../../src/models/profile-calibration.js';
import { BUILT_IN_PROFILES, describeProfile } from '../../../src/models/profiles.js';
import { saveCalibratedProfile, setProfile } from '../../../src/models/saved-profiles.js';
import { ModelStore } from '../../../src/models/store.js';
import { assembleResult } from '../../../src/pipeline/assemble-result.js';

const calibration: ProfileCalibration = {
  age: { from: [9, 10, 20, 30, 60, 61], to: [11, 12, 25, 36, 68, 69] },
  ageRange: [{ below: 30, low: -3, high: 4 }, { below: Infinity, low: -8, high: 9 }],
  gender: { scale: 0.5, shift: 0 },
  coverage: 0.8,
  source: {
    dataset: 'aaf:/data/aaf', split: 'dev', photos: 1500, fitPhotos: 1050, heldOutPhotos: 450, fittedAt: '2026-12-02T12:00:00.000Z',
    labelsSha256: 'ab'.repeat(32), base: 'default',
    heldOut: { before: { ageMae: 7.07, genderAccuracy: 0.895, genderEce: 0.034 }, after: { ageMae: 6.17, genderAccuracy: 0.895, genderEce: 0.02, rangeCoverage: 0.78, rangeMeanWidth: 18.3 } },
  },
};
const tempStore = () => new ModelStore(mkdtempSync(path.join(os.tmpdir(), 'faceread-calibration-')));

describe('the calibration part of a profile', () => {
  it('is saved with the base profile\'s models and read back (JSON turns Infinity to null; the resolver turns it back)', async () => {
    const store = tempStore();
    const saved = await saveCalibratedProfile(store, 'my-shop', 'default', calibration);
    assert.deepEqual(saved.attributes, BUILT_IN_PROFILES.default!.attributes);
    const read = (await Catalogue.open(new ModelStore(store.dir))).profile('my-shop');
    assert.equal(read.calibration!.ageRange![1]!.below, null);
    assert.equal(appliedCalibration('my-shop', read.calibration!).ageRange![1]!.below, Infinity);
    assert.match(describeProfile(read), /calibrated from default on 1050 of 1500 photos of aaf:\/data\/aaf \(dev half\) on 2026-12-02, labels sha256 abababababab…; held out 450: age MAE 7\.07 -> 6\.17/);
  });

  it('goes when the profile\'s models change (it was fitted to them)', async () => {
    const store = tempStore();
    await saveCalibratedProfile(store, 'my-shop', 'default', calibration);
    const changed = await setProfile(store, 'my-shop', { detectors: ['faceapi-tiny-face-detector'] });
    assert.equal(changed.calibration, undefined);
  });

  it('is checked before use', () => {
    assert.equal(calibrationProblem(calibration), undefined);
    assert.match(calibrationProblem({ ...calibration, age: { from: [1, 2], to: [5, 3] } })!, /not monotone/);
    assert.match(calibrationProblem({ ...calibration, age: { from: [2, 1], to: [1, 2] } })!, /not increasing/);
    assert.match(calibrationProblem({ ...calibration, coverage: 1.5 })!, /coverage/);
    assert.match(calibrationProblem({ ...calibration, gender: { scale: Number.NaN, shift: 0 } })!, /scale and shift/);
  });
});

describe('applied when a result is assembled', () => {
  const analysis = {
    faces: [{ box: { x: 1, y: 1, width: 10, height: 10 }, score: 0.9, age: { years: 25, bucket: '25-32' as const }, gender: { label: 'female' as const, probability: 0.9 } }],
    detectMs: 1, attributesMs: 1, models: { detector: 'd', age: 'a', gender: 'a' },
  };
  const geometry = { original: { width: 100, height: 100 }, scale: { x: 1, y: 1 } };

  it('maps the years, moves the bucket with them, adds the range and softens the gender probability', () => {
    const result = assembleResult(geometry, analysis, { decodeMs: 1, totalMs: 2 }, appliedCalibration('my-shop', calibration));
    // 25 lies half-way between knots 20 -> 25 and 30 -> 36: 30.5; range band below 30 does not apply, so -8/+9.
    assert.deepEqual(result.faces[0]!.age, { years: 30.5, bucket: '25-32', range: [22.5, 39.5] });
    const male = 1 / (1 + Math.exp(-0.5 * Math.log(0.1 / 0.9)));
    assert.deepEqual(result.faces[0]!.gender, { label: 'female', probability: Math.round((1 - male) * 1e4) / 1e4 });
    assert.equal(result.models.calibrated, 'my-shop');
  });

  it('leaves an uncalibrated profile\'s answers alone', () => {
    const result = assembleResult(geometry, analysis, { decodeMs: 1, totalMs: 2 });
    assert.deepEqual(result.faces[0]!.age, { years: 25, bucket: '25-32' });
    assert.equal(result.models.calibrated, undefined);
  });
});
