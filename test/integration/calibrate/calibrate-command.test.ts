/**
 * `faceread calibrate` end to end on a small labelled folder made from
 * face-api's demo photos (each face cropped with a margin, labelled with
 * made-up ages and genders: no data set ships with the project), in a
 * private store. The hidden --min-photos / --min-per-band options (README:
 * "Calibrating") let its 22 photos through; the default minimums refuse them.
 * A calibration the held-out part contradicts is refused and not saved.
 * Then the saved profile is used the ways users use profiles: the library,
 * `eval --models`, `models list`, `profiles show`, and the server's `?models=`.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { createAnalyzer } from '../../../src/analyzer.js';
import { labelsSha256 } from '../../../src/calibrate/run-calibration.js';
import { holdOut } from '../../../src/eval/split.js';
import { Catalogue } from '../../../src/models/catalogue.js';
import { appliedCalibration } from '../../../src/models/profile-calibration.js';
import { ModelStore } from '../../../src/models/store.js';
import { calibratePrediction } from '../../../src/pipeline/attributes/attribute-calibration.js';
import { describeProfiles, loadAnalyzerSet } from '../../../src/server/analyzer-set.js';
import { buildApp } from '../../../src/server/app.js';
import type { AnalysisResult } from '../../../src/types.js';
import { SAMPLE_NUMBERS, sampleFaceBoxes } from '../../fixtures/faceapi-sample-faces.js';
import { FACEAPI_SAMPLE_DIR } from '../../helpers/faceapi-reference.js';
import { faceread } from '../../helpers/faceread-cli.js';
import { testConfig } from '../server/helpers.js';

const AGES = [6, 16, 28, 45, 68];

describe('faceread calibrate on a folder made from the demo photos', { timeout: 600_000 }, () => {
  let dir: string;
  let store: string;
  let labels: { name: string; age: number; gender: 'male' | 'female' }[];
  const cli = (...args: string[]) => faceread([...args, '--model-dir', store]);

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'faceread-calibrate-'));
    store = path.join(dir, 'store');
    const folder = path.join(dir, 'photos');
    await mkdir(path.join(folder, 'images'), { recursive: true });
    labels = [];
    for (const sample of SAMPLE_NUMBERS) {
      const file = path.join(FACEAPI_SAMPLE_DIR, `sample${sample}.jpg`);
      const { width = 0, height = 0 } = await sharp(file).metadata();
      for (const [k, box] of sampleFaceBoxes(sample).entries()) {
        // The face with half its size around it: one face a photo, as labelled data sets have.
        const left = Math.max(0, Math.round(box.x - box.width / 2));
        const top = Math.max(0, Math.round(box.y - box.height / 2));
        const crop = { left, top, width: Math.min(width - left, Math.round(box.width * 2)), height: Math.min(height - top, Math.round(box.height * 2)) };
        const name = `s${sample}f${k}.jpg`;
        await sharp(file).extract(crop).jpeg().toFile(path.join(folder, 'images', name));
        labels.push({ name, age: AGES[labels.length % AGES.length]!, gender: labels.length % 2 === 0 ? 'female' : 'male' });
      }
    }
    await writeFile(path.join(folder, 'labels.csv'), `file,age,gender\n${labels.map((l) => `${l.name},${l.age},${l.gender}`).join('\n')}\n`);
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const dataset = () => `utkface:${path.join(dir, 'photos')}`;

  it('refuses too little data, saying how many photos it needs', async () => {
    const { code, stderr } = await cli('calibrate', '--dataset', dataset(), '--name', 'shop');
    assert.equal(code, 1);
    assert.ok(stderr.includes(`Too little data to calibrate: it needs at least 200 labelled photos in all (found ${labels.length}: add ${200 - labels.length})`), stderr);
    assert.match(stderr, /at least 20 photos aged 60\+ in the fit part \(found \d+/);
  });

  it('fits, prints before/after on the held-out part, and saves the profile with its source (no photo copied)', async () => {
    const { code, stdout, stderr } = await cli('calibrate', '--dataset', dataset(), '--name', 'shop', '--min-photos', '10', '--min-per-band', '1', '--force');
    assert.equal(code, 0, stderr);
    assert.match(stdout, /\| age MAE \(years\) \| \d+\.\d\d \| \d+\.\d\d \|/);
    assert.match(stdout, /\| age range coverage \(stated 80%\) \| n\/a \| \d+\.\d%/);
    assert.match(stdout, /Saved profile shop/);

    const shown = await cli('profiles', 'show', 'shop');
    const profile = JSON.parse(shown.stdout);
    assert.equal(profile.calibration.source.photos, labels.length);
    assert.equal(profile.calibration.source.fitPhotos + profile.calibration.source.heldOutPhotos, labels.length);
    assert.equal(profile.calibration.source.labelsSha256, labelsSha256(labels));
    assert.equal(profile.calibration.source.dataset, dataset());
    assert.equal(profile.calibration.coverage, 0.8);
    const files = await readdir(store, { recursive: true });
    assert.ok(!files.some((f) => /\.jpe?g$/i.test(String(f))), `no photo in the store: ${files.join(', ')}`);

    const listed = await cli('models', 'list');
    assert.match(listed.stdout, new RegExp(`shop .*calibrated from default on \\d+ of ${labels.length} photos of utkface:`));
  });

  it('refuses, with the figures, a calibration that is worse on the held-out part, and saves nothing', async () => {
    // Fit photos labelled 80 and held-out ones 5 (the held-out part is fixed by a hash of the names):
    // the map learns "everyone is 80", which the held-out part contradicts, whatever the model says.
    const folder = path.join(dir, 'contradicting');
    await mkdir(folder);
    await symlink(path.join(dir, 'photos', 'images'), path.join(folder, 'images'));
    const heldOut = new Set(holdOut(labels.map((l) => ({ ...l, splitKey: l.name })), 0.3).heldOut.map((l) => l.name));
    await writeFile(path.join(folder, 'labels.csv'), `file,age,gender\n${labels.map((l) => `${l.name},${heldOut.has(l.name) ? 5 : 80},${l.gender}`).join('\n')}\n`);
    const { code, stdout, stderr } = await cli('calibrate', '--dataset', `utkface:${folder}`, '--name', 'wrong', '--min-photos', '10', '--min-per-band', '1');
    assert.equal(code, 1, stderr);
    assert.match(stdout, /\| age MAE \(years\) \|/);
    assert.match(stderr, /not saved: on the held-out part the calibration is worse than default: age MAE \d+\.\d\d -> \d+\.\d\d years/);
    const shown = await cli('profiles', 'show', 'wrong');
    assert.notEqual(shown.code, 0, 'no profile was saved');
  });

  it('the library answers through the calibration: mapped years, their bucket, a range, and says so', async () => {
    const profile = (await Catalogue.open(new ModelStore(store))).profile('shop');
    const calibration = appliedCalibration('shop', profile.calibration!);
    const photo = path.join(FACEAPI_SAMPLE_DIR, 'sample1.jpg');
    const results: AnalysisResult[] = [];
    for (const name of ['default', 'shop']) {
      const analyzer = await createAnalyzer({ profile: name, modelDir: store });
      results.push(await analyzer.analyze(photo));
      await analyzer.close();
    }
    const [base, calibrated] = results as [AnalysisResult, AnalysisResult];
    assert.equal(calibrated.models.calibrated, 'shop');
    assert.equal(base.models.calibrated, undefined);
    assert.equal(calibrated.faces.length, base.faces.length);
    for (const [i, face] of calibrated.faces.entries()) {
      const raw = base.faces[i]!;
      assert.deepEqual(face.box, raw.box);
      const expected = calibratePrediction({ ageYears: raw.age!.years, gender: raw.gender! }, calibration);
      // The base's years were rounded to 0.1 before mapping here; the analyzer maps them unrounded.
      assert.ok(Math.abs(face.age!.years - expected.ageYears!) < 0.5, `${face.age!.years} vs ${expected.ageYears}`);
      face.age!.range!.forEach((end, k) => assert.ok(Math.abs(end - expected.ageRange![k]!) < 0.5, `range ${face.age!.range} vs ${expected.ageRange}`));
      assert.equal(face.gender!.label, raw.gender!.label, 'temperature scaling keeps the label');
      assert.ok(Math.abs(face.gender!.probability - expected.gender!.probability) < 0.01);
    }
  });

  it('eval --models uses it (the ranges show up as coverage)', async () => {
    const json = path.join(dir, 'eval.json');
    const { code, stderr } = await cli('eval', '--dataset', dataset(), '--split', 'all', '--models', 'shop', '--json', json);
    assert.equal(code, 0, stderr);
    const report = JSON.parse(await readFile(json, 'utf8'));
    assert.equal(report.variants[0].models.calibrated, 'shop');
    assert.ok(report.variants[0].attributes.overall.rangeCoverage !== undefined);
  });

  it('the server answers ?models=shop through it', async () => {
    const config = testConfig({ profiles: ['default', 'shop'], modelDir: store, poolSize: 1, extraPoolSize: 1 });
    const analyzers = loadAnalyzerSet(await describeProfiles(['default', 'shop'], store), config, () => {});
    const app = await buildApp({ profiles: analyzers.profiles, config });
    try {
      await analyzers.ready;
      const response = await app.inject({ method: 'POST', url: '/api/analyze?models=shop', headers: { 'content-type': 'image/jpeg' }, payload: await sharp(path.join(FACEAPI_SAMPLE_DIR, 'sample1.jpg')).toBuffer() });
      assert.equal(response.statusCode, 200, response.body);
      const result = response.json() as AnalysisResult;
      assert.equal(result.models.calibrated, 'shop');
      assert.ok(result.faces.every((face) => face.age?.range?.length === 2));
    } finally {
      await app.close();
      await analyzers.close();
    }
  });
});
