/**
 * The classic app's model set imported into one profile, as its users do it:
 * res10 from TensorFlow, then Levi-Hassner age and gender from Caffe, under
 * one name. The profile keeps both imports, its answers are the imported
 * networks' alone, and a deleted file fails `models verify`.
 * Needs ../shared/models/opencv (the definitions; weights are random here).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FACEAPI_SAMPLE_DIR } from '../helpers/faceapi-reference.js';
import { caffeModelFor, OPENCV_MODELS_DIR } from '../helpers/opencv-fixtures.js';
import { withStore } from '../helpers/faceread-cli.js';

const skip = existsSync(OPENCV_MODELS_DIR) ? false : `${OPENCV_MODELS_DIR} is absent (../shared holds OpenCV's network files)`;

describe('the classic model set as one profile', { skip, timeout: 180_000 }, () => {
  let store: string;
  const faceread = withStore(() => store);
  const opencv = (file: string) => path.join(OPENCV_MODELS_DIR, file);
  before(async () => {
    store = await mkdtemp(path.join(os.tmpdir(), 'faceread-classic-'));
  });
  after(() => rm(store, { recursive: true, force: true }));

  it('keeps the TF detector when the Caffe age and gender networks are imported under the same name', async () => {
    const tf = await faceread('models', 'import-tf', '--detector', opencv('opencv_face_detector_uint8.pb'), opencv('opencv_face_detector.pbtxt'), '--name', 'classic');
    assert.equal(tf.code, 0, tf.stderr);
    const age = caffeModelFor('deploy_age.prototxt', { seed: 3 }).file;
    const gender = caffeModelFor('deploy_gender.prototxt', { seed: 4 }).file;
    const caffe = await faceread('models', 'import-caffe', '--age', opencv('deploy_age.prototxt'), age, '--gender', opencv('deploy_gender.prototxt'), gender, '--name', 'classic');
    assert.equal(caffe.code, 0, caffe.stderr);
    const shown = JSON.parse((await faceread('profiles', 'show', 'classic')).stdout);
    assert.deepEqual(shown.detectors, ['classic-detector']);
    assert.deepEqual(shown.attributes, { age: { models: ['classic-age'], combine: 'alone' }, gender: { models: ['classic-gender'], combine: 'alone' } });
  });

  it('answers with the imported networks alone', async () => {
    const { code, stdout, stderr } = await faceread('analyze', path.join(FACEAPI_SAMPLE_DIR, 'sample1.jpg'), '--models', 'classic', '--format', 'ndjson', '--min-score', '0.3');
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout.trim());
    assert.deepEqual(result.models, { detector: 'classic-detector', age: 'classic-age', gender: 'classic-gender' });
  });

  it('lists every model and profile, and fails verify naming a deleted imported file and how to import it again', async () => {
    const list = await faceread('models', 'list');
    assert.match(list.stdout, /classic-age +attributes +levi-hassner-age +ok +classic-age\.onnx/);
    assert.match(list.stdout, /classic +saved +detectors classic-detector; age classic-age; gender classic-gender/);
    assert.equal((await faceread('models', 'verify')).code, 0);
    await rm(path.join(store, 'classic-age.onnx'));
    const verify = await faceread('models', 'verify');
    assert.equal(verify.code, 1);
    assert.match(verify.stdout, /classic-age: .*classic-age\.onnx is missing\. Import it again: `faceread models import-caffe --age .*deploy_age\.prototxt/);
    const analyze = await faceread('analyze', path.join(FACEAPI_SAMPLE_DIR, 'sample1.jpg'), '--models', 'classic');
    assert.equal(analyze.code, 1);
    assert.match(analyze.stderr, /MODEL_UNAVAILABLE: .*classic-age\.onnx is missing/);
  });

  it("feeds res10 the LearnOpenCV app's way when asked, as an option of the profile that can be changed back", async () => {
    const tf = ['--detector', opencv('opencv_face_detector_uint8.pb'), opencv('opencv_face_detector.pbtxt')];
    const imported = await faceread('models', 'import-tf', ...tf, '--name', 'app', '--detector-preprocessing', 'classic-app');
    assert.equal(imported.code, 0, imported.stderr);
    const shown = JSON.parse((await faceread('profiles', 'show', 'app')).stdout);
    assert.deepEqual(shown.modelOptions, { 'app-detector': { preprocess: 'classic-app' } });
    const photo = path.join(FACEAPI_SAMPLE_DIR, 'sample2.jpg');
    const faces = async (profile: string) => JSON.parse((await faceread('analyze', photo, '--models', profile, '--format', 'ndjson', '--attributes', 'gender')).stdout.trim()).faces as { score: number }[];
    const appWay = await faces('app');
    assert.equal((await faceread('profiles', 'set', 'app', '--option', 'app-detector.preprocess=opencv')).code, 0);
    const openCvWay = await faces('app');
    assert.notDeepEqual(appWay.map((f) => f.score), openCvWay.map((f) => f.score), 'the two ways of feeding res10 give different scores');
    assert.ok(appWay.length <= openCvWay.length, `the app's mean finds no more faces (${appWay.length} against ${openCvWay.length})`);
    const bad = await faceread('profiles', 'set', 'app', '--option', 'app-detector.preprocess=rgb');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /option preprocess of app-detector should be one of: opencv, classic-app/);
  });

  it('refuses a detector given without its weights file, saying what it needs', async () => {
    const { code, stderr } = await faceread('models', 'import-caffe', '--detector', opencv('deploy.prototxt'));
    assert.equal(code, 2);
    assert.match(stderr, /exactly two files \(a \.prototxt and its \.caffemodel\) for --detector/);
  });
});
