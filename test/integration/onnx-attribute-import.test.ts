/**
 * `faceread models import-onnx` for attribute networks, as a user runs it,
 * on networks built in the test with the project's ONNX builder: a
 * classifier described by a JSON spec and an InsightFace genderage network
 * each become the only model answering age and gender in a profile, and
 * their answers on face-api's demo photo are the model's own outputs on each
 * face's crop. Bad specs and mismatched files are refused, naming the field
 * or the shapes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ort from 'onnxruntime-node';
import sharp from 'sharp';
import { boxCropMatrix, writeFaceInput, type InputFormat } from '../../src/pipeline/attributes/face-affine-crop.js';
import type { AnalysisResult, Box, RgbImage } from '../../src/types.js';
import { linearAttributeModel, type LinearOutput } from '../helpers/attribute-models.js';
import { FACEAPI_SAMPLE_DIR } from '../helpers/faceapi-reference.js';
import { withStore } from '../helpers/faceread-cli.js';

const PHOTO = path.join(FACEAPI_SAMPLE_DIR, 'sample1.jpg');

// Gender scores [male, female] and age / 100 near 0.77: far from any age face-api gives the demo faces.
const LOGITS: LinearOutput = { name: 'logits', weights: [[0.9, -0.3, 0.1], [-0.6, 0.7, 0.2]], bias: [0.1, -0.05] };
const AGE: LinearOutput = { name: 'age', weights: [[0.02, -0.01, 0.015]], bias: [0.77] };
const SPEC = {
  input: { size: 64, channels: 'rgb', mean: 127.5, std: 128 },
  crop: { method: 'box', margin: 1.3 },
  gender: { output: 'logits', type: 'classes', labels: ['male', 'female'], activation: 'softmax' },
  age: { output: 'age', type: 'years', scale: 100 },
};
// InsightFace's layout: [female, male, age / 100] in one output.
const FC1: LinearOutput = { name: 'fc1', weights: [[0.5, -0.2, 0.1], [-0.3, 0.4, 0.05], [0.01, 0.02, -0.01]], bias: [0, 0.1, 0.68] };

describe('models import-onnx for age and gender networks', { timeout: 300_000 }, () => {
  let dir: string;
  let store: string;
  let photo: RgbImage;
  const faceread = withStore(() => store);
  const analyze = async (profile: string): Promise<AnalysisResult> => {
    const { code, stdout, stderr } = await faceread('analyze', PHOTO, '--models', profile, '--format', 'ndjson');
    assert.equal(code, 0, stderr);
    return JSON.parse(stdout.trim());
  };
  /** What the network gives for a face box, run here on the crop the spec describes. */
  const ownOutputs = async (bytes: Uint8Array, box: Box, side: number, margin: number, format: InputFormat) => {
    const input = new Float32Array(3 * side * side);
    writeFaceInput(photo, boxCropMatrix(box, [side, side], margin, true), [side, side], format, input, 0);
    const session = await ort.InferenceSession.create(bytes);
    const outputs = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input, [1, 3, side, side]) });
    return Object.fromEntries(Object.entries(outputs).map(([name, t]) => [name, Array.from(t.data as Float32Array)]));
  };

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'faceread-onnx-attributes-'));
    store = path.join(dir, 'store');
    const { data, info } = await sharp(PHOTO).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
    photo = { data: new Uint8Array(data), width: info.width, height: info.height };
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('a classifier with a spec answers age and gender alone in its profile, with its own outputs on each crop', async () => {
    const bytes = linearAttributeModel({ inputName: 'image', size: [64, 64], outputs: [LOGITS, AGE] });
    await writeFile(path.join(dir, 'mine.onnx'), bytes);
    await writeFile(path.join(dir, 'spec.json'), JSON.stringify(SPEC));
    const imported = await faceread('models', 'import-onnx', '--kind', 'classifier', '--spec', path.join(dir, 'spec.json'), path.join(dir, 'mine.onnx'), '--name', 'mine');
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /mine-age-gender: classifier for age and gender, input 64x64 nchw rgb, crop by box/);
    assert.match(imported.stdout, /profile mine: detectors faceapi-ssd-mobilenetv1 > human-blazeface-back; landmarks faceapi-landmarks-68; age mine-age-gender; gender mine-age-gender/);

    const result = await analyze('mine');
    assert.deepEqual(result.models, { detector: 'faceapi-ssd-mobilenetv1', age: 'mine-age-gender', gender: 'mine-age-gender' });
    assert.equal(result.faces.length, 3);
    const format: InputFormat = { layout: 'nchw', channels: 'rgb', mean: [127.5, 127.5, 127.5], scale: [1 / 128, 1 / 128, 1 / 128] };
    for (const face of result.faces) {
      // The result's box is rounded to 0.1 px: the crop moves by less than that.
      const own = await ownOutputs(bytes, face.box, 64, 1.3, format);
      const [male, female] = own.logits as [number, number];
      assert.ok(Math.abs(face.age!.years - own.age![0]! * 100) < 0.2, `age ${face.age!.years} vs the model's ${own.age![0]! * 100}`);
      const pMale = 1 / (1 + Math.exp(female - male));
      assert.equal(face.gender!.label, pMale >= 0.5 ? 'male' : 'female');
      assert.ok(Math.abs(face.gender!.probability - Math.max(pMale, 1 - pMale)) < 0.005, `gender probability ${face.gender!.probability} vs ${Math.max(pMale, 1 - pMale)}`);
    }
    const manifest = JSON.parse(await readFile(path.join(store, 'manifest.json'), 'utf8'));
    const entry = manifest.imported['mine-age-gender'];
    assert.equal(entry.kind, 'classifier');
    assert.deepEqual([entry.spec.input.name, entry.spec.input.layout, entry.spec.crop.margin], ['image', 'nchw', 1.3], 'the fitted spec is stored with the model');
    assert.equal(entry.sources.length, 2, 'the model file and its spec');
    assert.equal((await faceread('models', 'verify')).code, 0);
    assert.match((await faceread('models', 'list')).stdout, /mine-age-gender: any age and\/or gender network.*; answers age and gender;/);
  });

  it("an InsightFace genderage network answers as InsightFace feeds it: 1.5x box crops at 96 px, age * 100", async () => {
    const bytes = linearAttributeModel({ size: [96, 96], outputs: [FC1], normaliseInGraph: true });
    await writeFile(path.join(dir, 'genderage.onnx'), bytes);
    const imported = await faceread('models', 'import-onnx', '--kind', 'insightface-genderage', path.join(dir, 'genderage.onnx'), '--name', 'insight');
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /insight-age-gender: InsightFace genderage, input 96x96, the graph normalises its input/);
    const result = await analyze('insight');
    assert.deepEqual([result.models.age, result.models.gender], ['insight-age-gender', 'insight-age-gender']);
    const raw: InputFormat = { layout: 'nchw', channels: 'rgb', mean: [0, 0, 0], scale: [1, 1, 1] };
    for (const face of result.faces) {
      const [female, male, age] = (await ownOutputs(bytes, face.box, 96, 1.5, raw)).fc1 as [number, number, number];
      assert.ok(Math.abs(face.age!.years - age * 100) < 0.2, `age ${face.age!.years} vs ${age * 100}`);
      assert.equal(face.gender!.label, male > female ? 'male' : 'female');
    }
  });

  it('refuses a missing or bad spec naming the field, a spec for a kind without one, and a model that does not fit its spec', async () => {
    const model = path.join(dir, 'mine.onnx');
    const missing = await faceread('models', 'import-onnx', '--kind', 'classifier', model, '--name', 'bad');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Expected a JSON file describing the model for kind classifier .* for --spec/);
    await writeFile(path.join(dir, 'bad.json'), JSON.stringify({ ...SPEC, input: { ...SPEC.input, channels: 'grey' } }));
    const bad = await faceread('models', 'import-onnx', '--kind', 'classifier', '--spec', path.join(dir, 'bad.json'), model, '--name', 'bad');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.json: Expected one of: rgb, bgr for input.channels but received 'grey'/);
    const notJson = path.join(dir, 'not.json');
    await writeFile(notJson, '{ input: 64 }');
    assert.match((await faceread('models', 'import-onnx', '--kind', 'classifier', '--spec', notJson, model)).stderr, /not\.json is not JSON/);
    const extra = await faceread('models', 'import-onnx', '--kind', 'insightface-genderage', '--spec', path.join(dir, 'spec.json'), path.join(dir, 'genderage.onnx'));
    assert.equal(extra.code, 2);
    assert.match(extra.stderr, /Expected no spec with kind insightface-genderage \(only with: classifier\) for --spec/);
    await writeFile(path.join(dir, 'big.json'), JSON.stringify({ ...SPEC, input: { ...SPEC.input, size: 96 } }));
    const mismatch = await faceread('models', 'import-onnx', '--kind', 'classifier', '--spec', path.join(dir, 'big.json'), model, '--name', 'bad');
    assert.equal(mismatch.code, 1);
    assert.match(mismatch.stderr, /mine\.onnx cannot be imported as classifier: Expected input image to be \[N, 3, 96, 96\] .* but it is \[N, 3, 64, 64\]/);
    const genderage = await faceread('models', 'import-onnx', '--kind', 'insightface-genderage', model, '--name', 'bad');
    assert.equal(genderage.code, 1);
    assert.match(genderage.stderr, /cannot be imported as insightface-genderage: Expected an InsightFace genderage model.*it has 2 outputs/);
    assert.doesNotMatch((await faceread('profiles', 'list')).stdout, /^bad /m, 'nothing was saved');
  });

  it('a classifier that crops by landmarks keeps its profile from dropping the landmark model', async () => {
    await writeFile(path.join(dir, 'aligned.json'), JSON.stringify({ ...SPEC, crop: { method: 'landmarks', margin: 1.2 } }));
    const imported = await faceread('models', 'import-onnx', '--kind', 'classifier', '--spec', path.join(dir, 'aligned.json'), path.join(dir, 'mine.onnx'), '--name', 'aligned');
    assert.equal(imported.code, 0, imported.stderr);
    const result = await analyze('aligned');
    assert.equal(result.models.age, 'aligned-age-gender');
    assert.ok(result.faces.every((f) => f.landmarks?.length === 5 && f.age && f.gender));
    const dropped = await faceread('profiles', 'set', 'aligned', '--landmarks', 'none');
    assert.equal(dropped.code, 2);
    assert.match(dropped.stderr, /crops faces by their five landmarks, but the profile has no landmark model/);
  });
});
