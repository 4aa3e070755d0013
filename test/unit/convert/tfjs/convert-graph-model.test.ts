import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attr, assertMatchesTfjs, convertFixture, feedOf, graphModel, node, seeded } from './graph-fixture.js';
import { supportedTfjsOps } from '../../../../src/convert/tfjs/op-registry.js';

test('an unknown op is an error naming the op, the node and the file', async () => {
  const { json, weightData } = graphModel([1, 4], [], [node('bar', 'Foo', ['x'])]);
  await assert.rejects(convertFixture(json, weightData), /^Error: Unsupported TF\.js op "Foo" in node "bar" of fixture\.json$/);
});

test('an unsupported fusion is an error naming the fused ops', async () => {
  const w = { name: 'w', values: seeded(4), shape: [1, 1, 2, 2] };
  const fused = node('y', '_FusedConv2D', ['x', 'w', 'w', 'w', 'w'], { fused_ops: attr.strs(['FusedBatchNorm']), padding: attr.s('VALID'), strides: attr.ints([1, 1, 1, 1]) });
  const { json, weightData } = graphModel([1, 3, 3, 2], [w], [fused]);
  await assert.rejects(convertFixture(json, weightData), /Unsupported fused_ops \[FusedBatchNorm\] in node "y"/);
});

test('outputs follow the signature order and take its keys as names, even when a key equals a node name', async () => {
  const nodes = [node('a', 'Relu', ['x']), node('b', 'Neg', ['x'])];
  const signature = { outputs: { b: { name: 'b:0' }, first: { name: 'a' } } };
  const model = graphModel([2, 3], [], nodes, signature);
  const converted = await convertFixture(model.json, model.weightData);
  assert.deepEqual(converted.outputs.map((o) => o.name), ['b', 'first']);
  const [negated, rectified] = await assertMatchesTfjs(model, feedOf([2, 3]));
  assert.ok(negated!.some((v) => v > 0) && rectified!.every((v) => v >= 0));
});

test('without a signature, every unconsumed node is an output, in node order', async () => {
  const model = graphModel([2, 3], [], [node('mid', 'Relu', ['x']), node('z', 'Neg', ['mid']), node('a', 'Exp', ['x'])]);
  const converted = await convertFixture(model.json, model.weightData);
  assert.deepEqual(converted.outputs.map((o) => o.name), ['z', 'a']);
  await assertMatchesTfjs(model, feedOf([2, 3]));
});

test('unknown input sizes become symbolic dims unless inputShape fixes them', async () => {
  const model = graphModel([-1, 8, -1, 3], [], [node('y', 'Relu', ['x'])]);
  const free = await convertFixture(model.json, model.weightData);
  assert.deepEqual(free.inputs, [{ name: 'x', shape: ['batch', 8, 'x_d2', 3] }]);
  const fixed = await convertFixture(model.json, model.weightData, { inputShape: [2, 8, 5, 3] });
  assert.deepEqual(fixed.inputs, [{ name: 'x', shape: [2, 8, 5, 3] }]);
});

test('the registry covers every op of the face models', () => {
  const faceModelOps = ['Add', 'AddV2', 'AvgPool', 'Const', 'Conv2D', 'DepthwiseConv2dNative', 'ExpandDims', 'Identity', 'Max', 'MaxPool', 'Maximum', 'Mean', 'Minimum', 'Mul', 'Pad', 'Placeholder', 'RealDiv', 'Relu', 'Reshape', 'Sigmoid', 'Softmax', 'StridedSlice', 'Tanh', '_FusedConv2D', '_FusedMatMul'];
  const supported = new Set(supportedTfjsOps());
  assert.deepEqual(faceModelOps.filter((op) => !supported.has(op)), []);
});
