/**
 * `faceread models import-onnx` as a user runs it: a YuNet file becomes a
 * profile's detector (its landmarks in the answers), an UltraFace file joins
 * the chain as a fallback, and a file of another kind is refused naming what
 * was expected. Needs ../shared/models/peers (no model file is in the repository).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FACEAPI_SAMPLE_DIR } from '../helpers/faceapi-reference.js';
import { PEER_FILES, peerModelsSkip } from '../helpers/peer-detectors.js';
import { withStore } from '../helpers/faceread-cli.js';

const skip = peerModelsSkip();

describe('models import-onnx', { skip, timeout: 180_000 }, () => {
  let store: string;
  const faceread = withStore(() => store);
  before(async () => {
    store = await mkdtemp(path.join(os.tmpdir(), 'faceread-onnx-import-'));
  });
  after(() => rm(store, { recursive: true, force: true }));

  it('makes a YuNet file the detector of a profile; its five landmarks come back with each face', async () => {
    const imported = await faceread('models', 'import-onnx', '--kind', 'yunet', PEER_FILES.yunet2023, '--name', 'crowd');
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /crowd-detector: YuNet .*any input size/);
    const { code, stdout, stderr } = await faceread('analyze', path.join(FACEAPI_SAMPLE_DIR, 'sample1.jpg'), '--models', 'crowd', '--format', 'ndjson');
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout.trim());
    assert.equal(result.models.detector, 'crowd-detector');
    assert.ok(result.faces.length >= 3, `${result.faces.length} faces`);
    for (const face of result.faces) {
      assert.equal(face.landmarks.length, 5);
      const [[lx], [rx]] = face.landmarks;
      assert.ok(lx < rx, 'the left eye (image left) comes first');
      assert.ok(face.gender && face.age, 'the base profile answers age and gender');
    }
  });

  it('adds a fallback detector to the end of the chain, keeping the first', async () => {
    const { code, stderr } = await faceread('models', 'import-onnx', '--kind', 'ultraface', PEER_FILES.ultraface, '--name', 'crowd', '--fallback');
    assert.equal(code, 0, stderr);
    const shown = JSON.parse((await faceread('profiles', 'show', 'crowd')).stdout);
    assert.deepEqual(shown.detectors, ['crowd-detector', 'crowd-fallback']);
    assert.equal((await faceread('models', 'verify')).code, 0);
  });

  it('refuses a file that is not of the kind given, naming the outputs it expected and those it found', async () => {
    const { code, stderr } = await faceread('models', 'import-onnx', '--kind', 'ultraface', PEER_FILES.yunet2023, '--name', 'wrong');
    assert.equal(code, 1);
    assert.match(stderr, /cannot be imported as ultraface: Expected an UltraFace .*outputs scores .*The file has inputs .* outputs cls_8/);
    assert.doesNotMatch((await faceread('profiles', 'list')).stdout, /^wrong /m, 'nothing was saved');
    const unknown = await faceread('models', 'import-onnx', '--kind', 'retinanet', PEER_FILES.yunet2023);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Expected one of: yunet, ultraface, scrfd, retinaface, insightface-genderage, classifier for --kind/);
  });
});
