/**
 * Classifier specs: defaults, errors naming the field at fault, the fit against a model's inputs
 * and outputs, what a spec says the model answers, and the README example.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ModelSignature } from '../../../../src/convert/onnx/model-signature.js';
import { fitSpecToModel } from '../../../../src/pipeline/attributes/classifier-import.js';
import { classifierTraits, readClassifierSpec, readFittedSpec } from '../../../../src/pipeline/attributes/classifier-spec.js';
import { REPO_ROOT } from '../../../helpers/repo-root.js';

const minimal = { input: { size: 64, channels: 'bgr' }, gender: { type: 'classes', labels: ['male', 'female'], activation: 'softmax' } };

test('a minimal spec gets its defaults: mean 0, scale 1, a square crop around the box, values from index 0', () => {
  assert.deepEqual(readClassifierSpec(minimal), {
    input: { size: [64, 64], channels: 'bgr', mean: [0, 0, 0], scale: [1, 1, 1] },
    crop: { method: 'box', margin: 1, square: true },
    gender: { from: 0, type: 'classes', labels: ['male', 'female'], activation: 'softmax' },
  });
  const full = readClassifierSpec({
    input: { size: [128, 96], channels: 'rgb', mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375] },
    crop: { method: 'box', margin: 1.3, square: false },
    age: { output: 'age', type: 'buckets', activation: 'none' },
  });
  assert.deepEqual(full.input.size, [128, 96]);
  assert.deepEqual(full.input.scale, [1 / 58.395, 1 / 57.12, 1 / 57.375], 'std becomes its reciprocal scale');
  assert.deepEqual(readClassifierSpec({ ...minimal, input: { ...minimal.input, scale: 0.5 } }).input.scale, [0.5, 0.5, 0.5]);
});

test('a bad spec is refused with the field at fault and what it should be', () => {
  const cases: [unknown, RegExp][] = [
    [[], /Expected an object for spec but received \[\]/],
    [{ input: minimal.input }, /Expected gender, age or both/],
    [{ ...minimal, input: { size: 64, channels: 'rgbx' } }, /Expected one of: rgb, bgr for input.channels but received 'rgbx'/],
    [{ ...minimal, input: { size: 4, channels: 'rgb' } }, /Expected an integer from 8 to 1024 for input.size but received 4/],
    [{ ...minimal, input: { size: [64, 64, 3], channels: 'rgb' } }, /Expected a side or \[width, height\] for input.size/],
    [{ ...minimal, input: { size: 64, channels: 'rgb', mean: [1, 2] } }, /for input.mean but received \[1,2\]/],
    [{ ...minimal, input: { size: 64, channels: 'rgb', std: 0 } }, /Expected a positive number for input.std but received 0/],
    [{ ...minimal, input: { size: 64, channels: 'rgb', std: 1, scale: 1 } }, /one of input.std and input.scale/],
    [{ ...minimal, input: { size: 64, channels: 'rgb', chanels: 'rgb' } }, /Unknown field input.chanels. Should be one of: size, channels/],
    [{ ...minimal, extra: 1 }, /Unknown field extra. Should be one of: input, crop, gender, age/],
    [{ ...minimal, crop: { method: 'align' } }, /Expected one of: box, landmarks for crop.method but received 'align'/],
    [{ ...minimal, crop: { margin: 9 } }, /Expected a number from 0.5 to 2 for crop.margin but received 9/],
    [{ ...minimal, input: { size: [64, 48], channels: 'rgb' }, crop: { method: 'landmarks' } }, /square input .* for input.size/],
    [{ ...minimal, gender: { type: 'classes', labels: ['male', 'male'], activation: 'softmax' } }, /for gender.labels but received \["male","male"\]/],
    [{ ...minimal, gender: { type: 'classes', labels: ['male', 'female'] } }, /Expected one of: softmax, none for gender.activation but received undefined/],
    [{ ...minimal, gender: { type: 'probability', of: 'man', activation: 'sigmoid' } }, /Expected one of: female, male for gender.of but received 'man'/],
    [{ ...minimal, gender: { ...minimal.gender, from: -1 } }, /Expected an integer from 0 to \d+ for gender.from but received -1/],
    [{ ...minimal, age: { type: 'decades' } }, /Expected one of: years, buckets for age.type but received 'decades'/],
    [{ ...minimal, age: { type: 'years', scale: 'x' } }, /Expected a number for age.scale but received 'x'/],
  ];
  for (const [spec, message] of cases) assert.throws(() => readClassifierSpec(spec), message, JSON.stringify(spec));
});

const signature = (input: ModelSignature['inputs'][number]['shape'], outputs: [string, ModelSignature['inputs'][number]['shape']][]): ModelSignature => ({
  inputs: [{ name: 'image', shape: input }],
  outputs: outputs.map(([name, shape]) => ({ name, shape })),
});

test('fitting to the model reads the layout, input name and batch, and names the outputs', () => {
  const spec = readClassifierSpec({ ...minimal, gender: { ...minimal.gender, output: 'gender' }, age: { output: 'age', type: 'years', scale: 100 } });
  const nchw = fitSpecToModel(spec, signature(['N', 3, 64, 64], [['gender', ['N', 2]], ['age', ['N', 1]]]));
  assert.deepEqual([nchw.input.layout, nchw.input.name, nchw.input.batch], ['nchw', 'image', null]);
  const nhwc = fitSpecToModel(readClassifierSpec(minimal), signature([1, 64, 64, 3], [['out', [1, 2]]]));
  assert.deepEqual([nhwc.input.layout, nhwc.input.batch, nhwc.gender!.output], ['nhwc', 1, 'out'], 'a single output needs no name');
  assert.deepEqual(readFittedSpec(JSON.parse(JSON.stringify(nhwc))), nhwc, 'the stored spec reads back the same');
  assert.throws(() => readFittedSpec(readClassifierSpec(minimal)), /fitted to its model at import/);
});

test('fitting refuses a model that does not match the spec, naming both', () => {
  const age = { output: 'age', from: 1, type: 'buckets', activation: 'softmax' };
  const spec = readClassifierSpec({ ...minimal, gender: { ...minimal.gender, output: 'gender' }, age });
  const cases: [ModelSignature, RegExp][] = [
    [signature(['N', 3, 96, 96], [['gender', ['N', 2]], ['age', ['N', 9]]]), /Expected input image to be \[N, 3, 64, 64\] \(input.size 64x64, nchw\) but it is \[N, 3, 96, 96\]/],
    [signature(['N', 1, 64, 64], [['gender', ['N', 2]]]), /Expected 3 channels/],
    [signature(['N', 3, 64, 64], [['gender', ['N', 2]], ['years', ['N', 9]]]), /age.output names "age", which the model does not have.*outputs gender \[N, 2\], years \[N, 9\]/],
    [signature(['N', 3, 64, 64], [['gender', ['N', 2]], ['age', ['N', 8]]]), /age reads values 1 to 8 of output age, which has 8 per face/],
  ];
  for (const [model, message] of cases) assert.throws(() => fitSpecToModel(spec, model), message);
  const unnamed = readClassifierSpec({ ...minimal, age });
  assert.throws(() => fitSpecToModel(unnamed, signature(['N', 3, 64, 64], [['logits', ['N', 2]], ['age', ['N', 9]]])), /gender.output must name one of the model's 2 outputs/);
});

test('what a spec answers, and whether it needs landmarks', () => {
  assert.deepEqual(classifierTraits(readClassifierSpec(minimal)), { provides: ['gender'], needsLandmarks: false });
  const both = readClassifierSpec({ ...minimal, crop: { method: 'landmarks' }, age: { type: 'years' } });
  assert.deepEqual(classifierTraits(both), { provides: ['age', 'gender'], needsLandmarks: true });
});

test("the README's worked example is a valid spec", async () => {
  const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const example = /\*\*The classifier spec\.\*\*[\s\S]*?```json\n([\s\S]*?)```/.exec(readme);
  assert.ok(example, 'the README has a spec example');
  const spec = readClassifierSpec(JSON.parse(example[1]!));
  assert.deepEqual(classifierTraits(spec), { provides: ['age', 'gender'], needsLandmarks: false });
});
