import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describeProfiles, loadAnalyzerSet } from '../../../src/server/analyzer-set.js';

describe('describeProfiles', () => {
  let store: string;
  before(async () => {
    store = await mkdtemp(path.join(os.tmpdir(), 'faceread-profiles-'));
    // What `faceread models import-caffe --detector ... --age ...` left in the manifest before the catalogue (still read).
    const profiles = { 'opencv-classic': { detector: 'opencv-classic-detector', attributes: ['opencv-classic-age', 'faceapi-age-gender'] } };
    const entry = (kind: string) => ({ file: 'x.onnx', sha256: 'x', kind, sources: [], converterVersion: 1, convertedAt: '' });
    const imported = { 'opencv-classic-detector': entry('opencv-res10-ssd'), 'opencv-classic-age': entry('levi-hassner-age') };
    await writeFile(path.join(store, 'manifest.json'), JSON.stringify({ version: 1, models: {}, imported, profiles }));
  });
  after(() => rm(store, { recursive: true, force: true }));

  it('gives each built-in profile its model ids, in the order asked', async () => {
    const described = await describeProfiles(['fast', 'default'], store);
    assert.deepEqual(described, [
      { name: 'fast', models: { detector: 'faceapi-tiny-face-detector', detectors: ['faceapi-tiny-face-detector'], landmarks: 'faceapi-landmarks-68', attributes: ['faceapi-age-gender'], answers: { age: ['faceapi-age-gender'], gender: ['faceapi-age-gender'] } } },
      { name: 'default', models: { detector: 'faceapi-ssd-mobilenetv1', detectors: ['faceapi-ssd-mobilenetv1', 'human-blazeface-back'], landmarks: 'faceapi-landmarks-68', attributes: ['faceapi-age-gender'], answers: { age: ['faceapi-age-gender'], gender: ['faceapi-age-gender'] } } },
    ]);
  });

  it('finds a profile imported into the store', async () => {
    const [imported] = await describeProfiles(['opencv-classic'], store);
    assert.deepEqual(imported, {
      name: 'opencv-classic',
      models: {
        detector: 'opencv-classic-detector',
        detectors: ['opencv-classic-detector'],
        attributes: ['opencv-classic-age', 'faceapi-age-gender'],
        answers: { age: ['opencv-classic-age'], gender: ['faceapi-age-gender'] },
      },
    });
  });

  it('refuses an unknown name with INVALID_OPTION naming it and every known profile', async () => {
    await assert.rejects(describeProfiles(['default', 'fastest'], store), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'INVALID_OPTION');
      assert.match(error.message, /Unknown model profile "fastest" offered by the server \(FACEREAD_PROFILES/);
      assert.match(error.message, /Should be one of: default, fast, .*opencv-classic$/);
      return true;
    });
  });
});

describe('loadAnalyzerSet', () => {
  it('rejects ready when a profile cannot be loaded, and still closes', async () => {
    const models = { detector: 'x', detectors: ['x'], attributes: [], answers: {} };
    const set = loadAnalyzerSet([{ name: 'no-such-profile', models }], { modelDir: os.tmpdir(), poolSize: 1, extraPoolSize: 1, threads: null }, () => {});
    assert.equal(set.profiles.length, 1);
    await assert.rejects(set.ready, { code: 'INVALID_OPTION', message: /no-such-profile/ });
    await set.close();
  });
});
