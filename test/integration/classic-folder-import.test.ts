/**
 * `faceread models import-classic <folder>` on both classic layouts, made in
 * the test: it builds the same profile, with byte-identical networks, as the
 * separate `import-tf` / `import-caffe` imports its users would otherwise
 * run; it says what it found and which preprocessing it chose; and a folder
 * with a prototxt but no caffemodel is refused naming the missing file,
 * unless --allow-missing. Needs ../shared/models/opencv (weights of the age,
 * gender and Caffe res10 networks are random here).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { makeClassicFolder } from '../helpers/classic-folder.js';
import { faceread } from '../helpers/faceread-cli.js';
import { OPENCV_MODELS_DIR } from '../helpers/opencv-fixtures.js';

const skip = existsSync(OPENCV_MODELS_DIR) ? false : `${OPENCV_MODELS_DIR} is absent (../shared holds OpenCV's network files)`;

const inStore = (store: string, ...args: string[]) => faceread([...args, '--model-dir', store]);
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The profile as `profiles show` gives it, and the sha256 of each of its imported networks. */
async function profileOf(store: string, name: string): Promise<{ profile: Record<string, unknown>; networks: Record<string, string> }> {
  const shown = await inStore(store, 'profiles', 'show', name);
  assert.equal(shown.code, 0, shown.stderr);
  const networks = Object.fromEntries(['detector', 'age', 'gender'].map((slot) => [slot, sha(path.join(store, `${name}-${slot}.onnx`))]));
  return { profile: JSON.parse(shown.stdout), networks };
}

describe('models import-classic', { skip, timeout: 600_000 }, () => {
  const temp: string[] = [];
  const tempDir = async (prefix: string) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
    temp.push(dir);
    return dir;
  };
  after(() => Promise.all(temp.map((dir) => rm(dir, { recursive: true, force: true }))));

  describe("LearnOpenCV's layout", () => {
    let folder: string;
    // The folder's own files, as its users would name them to import-tf and import-caffe (the converted networks record their sources).
    const file = (name: string) => path.join(folder, name);
    before(async () => {
      ({ folder } = await makeClassicFolder('learnopencv'));
      temp.push(folder);
    });

    it('builds the profile that import-tf then import-caffe build, with its preprocessing, saying what it found', async () => {
      const one = await tempDir('faceread-import-classic-');
      const imported = await inStore(one, 'models', 'import-classic', folder);
      assert.equal(imported.code, 0, imported.stderr);
      assert.match(imported.stdout, /LearnOpenCV's AgeGender layout/);
      assert.match(imported.stdout, /detector +found opencv_face_detector_uint8\.pb \+ opencv_face_detector\.pbtxt \(TensorFlow\)/);
      assert.match(imported.stdout, /age +found age_deploy\.prototxt \+ age_net\.caffemodel \(Caffe\)/);
      assert.match(imported.stdout, /gender +found gender_deploy\.prototxt \+ gender_net\.caffemodel \(Caffe\)/);
      assert.match(imported.stdout, /detector preprocessing: classic-app \(LearnOpenCV's: swapRB \(RGB planes\), mean \(104, 117, 123\)\)/);

      const two = await tempDir('faceread-import-separate-');
      const tf = await inStore(two, 'models', 'import-tf', '--detector', file('opencv_face_detector_uint8.pb'), file('opencv_face_detector.pbtxt'), '--name', 'classic', '--detector-preprocessing', 'classic-app');
      assert.equal(tf.code, 0, tf.stderr);
      const caffe = await inStore(two, 'models', 'import-caffe', '--age', file('age_deploy.prototxt'), file('age_net.caffemodel'), '--gender', file('gender_deploy.prototxt'), file('gender_net.caffemodel'), '--name', 'classic');
      assert.equal(caffe.code, 0, caffe.stderr);

      const fromFolder = await profileOf(one, 'classic');
      assert.deepEqual(fromFolder, await profileOf(two, 'classic'));
      assert.deepEqual(fromFolder.profile.modelOptions, { 'classic-detector': { preprocess: 'classic-app' } });
    });

    it("takes --detector-preprocessing opencv and --name, and records how to import again", async () => {
      const store = await tempDir('faceread-import-classic-');
      const imported = await inStore(store, 'models', 'import-classic', folder, '--name', 'mine', '--detector-preprocessing', 'opencv');
      assert.equal(imported.code, 0, imported.stderr);
      assert.match(imported.stdout, /detector preprocessing: opencv \(OpenCV's sample: BGR, mean \(104, 177, 123\)\), as asked/);
      const { profile } = await profileOf(store, 'mine');
      assert.equal(profile.modelOptions, undefined, "OpenCV's way is the detector's default: no option");
      assert.deepEqual(profile.detectors, ['mine-detector']);
      const manifest = readFileSync(path.join(store, 'manifest.json'), 'utf8');
      assert.ok(manifest.includes(`import-classic ${folder} --name mine --detector-preprocessing opencv`), manifest.slice(0, 2000));
    });
  });

  it("builds from the Flask app's layout the profile import-caffe builds, fed OpenCV's way", async () => {
    const { folder } = await makeClassicFolder('flask-app');
    temp.push(folder);
    const one = await tempDir('faceread-import-classic-');
    const imported = await inStore(one, 'models', 'import-classic', folder);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /the classic Flask app's layout/);
    assert.match(imported.stdout, /detector +found face_detection\.prototxt \+ face_detection\.caffemodel \(Caffe\)/);
    assert.match(imported.stdout, /detector preprocessing: opencv /);
    const two = await tempDir('faceread-import-separate-');
    const pair = (a: string, b: string) => [path.join(folder, a), path.join(folder, b)];
    const caffe = await inStore(two, 'models', 'import-caffe', '--name', 'classic',
      '--detector', ...pair('face_detection.prototxt', 'face_detection.caffemodel'),
      '--age', ...pair('age_prediction.prototxt', 'age_prediction.caffemodel'),
      '--gender', ...pair('gender_classification.prototxt', 'gender_classification.caffemodel'));
    assert.equal(caffe.code, 0, caffe.stderr);
    assert.deepEqual(await profileOf(one, 'classic'), await profileOf(two, 'classic'));
  });

  it('refuses a prototxt without its caffemodel naming the missing file, and imports the rest with --allow-missing', async () => {
    const { folder } = await makeClassicFolder('learnopencv', ['age_net.caffemodel']);
    temp.push(folder);
    const store = await tempDir('faceread-import-classic-');
    const refused = await inStore(store, 'models', 'import-classic', folder);
    assert.equal(refused.code, 2);
    assert.match(refused.stdout, /age +MISSING age_net\.caffemodel \(the other file of the pair is there\)/);
    assert.match(refused.stderr, /INVALID_OPTION: Missing: age \(age_net\.caffemodel\)\. Add the files to .*--allow-missing/);
    assert.equal((await inStore(store, 'profiles', 'show', 'classic')).code === 0, false, 'nothing was imported');

    const partial = await inStore(store, 'models', 'import-classic', folder, '--allow-missing');
    assert.equal(partial.code, 0, partial.stderr);
    const shown = JSON.parse((await inStore(store, 'profiles', 'show', 'classic')).stdout);
    assert.deepEqual(shown.detectors, ['classic-detector']);
    assert.deepEqual(shown.attributes.gender.models, ['classic-gender']);
    assert.notDeepEqual(shown.attributes.age.models, ['classic-age'], "the age network stays the base profile's");
  });

  it('refuses a folder without classic files, and a folder that does not exist', async () => {
    const empty = await tempDir('faceread-import-empty-');
    const none = await faceread(['models', 'import-classic', empty, '--model-dir', empty]);
    assert.equal(none.code, 2);
    assert.match(none.stdout, /no classic model files/);
    assert.match(none.stdout, /detector +MISSING: none of face_detection\.prototxt \+ face_detection\.caffemodel, opencv_face_detector_uint8\.pb \+ opencv_face_detector\.pbtxt/);
    const absent = await faceread(['models', 'import-classic', path.join(empty, 'nope'), '--model-dir', empty]);
    assert.equal(absent.code, 1);
    assert.match(absent.stderr, /Cannot read the folder .*nope: no such folder/);
  });
});
