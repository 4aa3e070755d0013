import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTextFormat } from '../../../../src/convert/caffe/text-format.js';
import { readNetDefinition } from '../../../../src/convert/caffe/net-definition.js';

test('text format: scalars, enums, nested messages, comments, lists and string escapes', () => {
  const m = parseTextFormat(
    `name: "a\\"b" # comment\n dim: 1 dim: -2.5e1 flag: true pool: MAX inner { x: 1 } inner: < x: 2 > list: [1, 2] s: 'x' "y"`,
    'inline',
  );
  assert.equal(m.string('name'), 'a"b');
  assert.deepEqual(m.numbers('dim'), [1, -25]);
  assert.equal(m.boolean('flag', false), true);
  assert.equal(m.string('pool'), 'MAX');
  assert.deepEqual(m.messages('inner').map((i) => i.number('x')), [1, 2]);
  assert.deepEqual(m.numbers('list'), [1, 2]);
  assert.equal(m.string('s'), 'xy');
  assert.equal(m.number('absent', 7), 7);
  assert.equal(m.message('absent').has('x'), false);
});

test('text format: errors name the line and the file', () => {
  assert.throws(() => parseTextFormat('a {\n b: 1\n', 'deploy.prototxt'), /Expected "}" before the end of the file on line 2 of deploy.prototxt/);
  assert.throws(() => parseTextFormat('a b', 'x.prototxt'), /Expected ":" after field "a" on line 1 of x.prototxt/);
  assert.throws(() => parseTextFormat('n: "x"', 'f').number('n'), /Expected a number for field "n" in f/);
});

test('net definition: legacy V1 layers, input_dim inputs, Input layers and TEST-phase rules', () => {
  const legacy = readNetDefinition('input: "data" input_dim: 1 input_dim: 3 input_dim: 8 input_dim: 8 layers { name: "r" type: RELU bottom: "data" top: "data" }', 'v1');
  assert.deepEqual(legacy.inputs, [{ name: 'data', shape: [1, 3, 8, 8] }]);
  assert.deepEqual(legacy.layers.map((l) => l.type), ['ReLU']);
  const current = readNetDefinition(
    `layer { name: "in" type: "Input" top: "x" input_param { shape { dim: 1 dim: 2 dim: 4 dim: 4 } } }
     layer { name: "train_only" type: "Dropout" bottom: "x" top: "x" include { phase: TRAIN } }
     layer { name: "s" type: "Softmax" bottom: "x" top: "y" }`,
    'v2',
  );
  assert.deepEqual(current.inputs, [{ name: 'x', shape: [1, 2, 4, 4] }]);
  assert.deepEqual(current.layers.map((l) => l.name), ['s']);
  assert.throws(() => readNetDefinition('layer { name: "s" type: "Softmax" }', 'none'), /none declares no input/);
});
