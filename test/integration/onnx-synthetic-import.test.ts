/**
 * `faceread models import-onnx --kind scrfd|retinaface` as a user runs it,
 * on synthetic networks with those families' real outputs (no SCRFD or
 * RetinaFace file may be downloaded here; see the unit tests for the
 * decoding): the detector joins a profile, `analyze` finds the planted
 * faces with their landmarks and reports the input size the network ran
 * at, `models list` says what was found, and a file of the other family is
 * refused with what was expected and found. Runs without ../shared.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { withStore } from '../helpers/faceread-cli.js';
import { photoWithFaces, syntheticRetinaface, syntheticScrfd } from '../helpers/synthetic-detectors.js';

describe('models import-onnx with SCRFD and RetinaFace files', { timeout: 240_000 }, () => {
  let dir: string;
  const faceread = withStore(() => path.join(dir, 'store'));
  const file = (name: string) => path.join(dir, name);
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'faceread-synthetic-import-'));
    await writeFile(file('scrfd_synthetic_bnkps.onnx'), syntheticScrfd({ names: 'numbered' }));
    await writeFile(file('retinaface_synthetic.onnx'), syntheticRetinaface({ names: 'exported' }));
    // One face for SCRFD's stride 8 (red cell 10, 20) on a 640x640 photo; PNG keeps the pixels exact.
    const photo = photoWithFaces(640, 640, [[8, 10, 20]]);
    await sharp(photo.data, { raw: { width: 640, height: 640, channels: 3 } }).png().toFile(file('planted.png'));
    await sharp(new Uint8Array(640 * 640 * 3), { raw: { width: 640, height: 640, channels: 3 } }).png().toFile(file('black.png'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('makes an SCRFD file a profile\'s detector: the planted face, its landmarks and the input size come back', async () => {
    const imported = await faceread('models', 'import-onnx', '--kind', 'scrfd', file('scrfd_synthetic_bnkps.onnx'), '--name', 'synth');
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /synth-detector: SCRFD with keypoints, any input size \(run at 640x640\)/);
    const { code, stdout, stderr } = await faceread('analyze', file('planted.png'), '--models', 'synth', '--format', 'ndjson');
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout.trim());
    assert.equal(result.models.detector, 'synth-detector');
    assert.deepEqual(result.models.detectorInput, { width: 640, height: 640 });
    assert.equal(result.faces.length, 1, JSON.stringify(result.faces));
    // Anchor (80, 160), distances (1.5, 2, 2.5, 3) strides of 8; landmarks at the planted offsets.
    assert.deepEqual(result.faces[0].box, { x: 68, y: 144, width: 32, height: 40 });
    assert.deepEqual(result.faces[0].landmarks, [[84, 166], [92, 166], [88, 170], [84.8, 174], [91.2, 174]]);
    const list = await faceread('models', 'list');
    assert.match(list.stdout, /synth-detector: InsightFace's SCRFD .*; with keypoints, input 640x640 \(free size\); imported from .*scrfd_synthetic_bnkps\.onnx/);
  });

  it('adds a RetinaFace file as the fallback, which answers when SCRFD finds nothing', async () => {
    const imported = await faceread('models', 'import-onnx', '--kind', 'retinaface', file('retinaface_synthetic.onnx'), '--name', 'synth', '--fallback');
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /synth-fallback: RetinaFace, any input size, outputs outputtt\/output\/outputt/);
    assert.deepEqual(JSON.parse((await faceread('profiles', 'show', 'synth')).stdout).detectors, ['synth-detector', 'synth-fallback']);
    // On a black photo neither finds a face; the input reported is the first detector's.
    const { code, stdout, stderr } = await faceread('analyze', file('black.png'), '--models', 'synth', '--format', 'ndjson');
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout.trim());
    assert.deepEqual([result.faces.length, result.models.detectorInput], [0, { width: 640, height: 640 }]);
    assert.equal((await faceread('models', 'verify')).code, 0);
  });

  it('refuses a file of the other family, naming what it expected and what the file has', async () => {
    const asRetina = await faceread('models', 'import-onnx', '--kind', 'retinaface', file('scrfd_synthetic_bnkps.onnx'), '--name', 'wrong');
    assert.equal(asRetina.code, 1);
    assert.match(asRetina.stderr, /cannot be imported as retinaface: Expected a RetinaFace face detector .*outputs loc \[1, N, 4\].*but it has 9 outputs\. The file has inputs input\.1 \[1, 3, \?h, \?w\] and outputs 448 \[n, 1\]/s);
    const asScrfd = await faceread('models', 'import-onnx', '--kind', 'scrfd', file('retinaface_synthetic.onnx'), '--name', 'wrong');
    assert.equal(asScrfd.code, 1);
    assert.match(asScrfd.stderr, /cannot be imported as scrfd: Expected an SCRFD face detector .*but it has 3 outputs\. The file has inputs input \[1, 3, height, width\] and outputs output \[1, n, 2\]/s);
    assert.doesNotMatch((await faceread('profiles', 'list')).stdout, /^wrong /m, 'nothing was saved');
  });
});
