import { test } from 'node:test';
import { attr, assertMatchesTfjs, feedOf, graphModel, node, seeded } from './graph-fixture.js';

// A 1x1 conv first, so the elementwise op sees an NCHW tensor and must broadcast its operand to it.
const conv = node('c', 'Conv2D', ['x', 'w'], { strides: attr.ints([1, 1, 1, 1]), dilations: attr.ints([1, 1, 1, 1]), padding: attr.s('VALID'), data_format: attr.s('NHWC') });
const convWeights = { name: 'w', values: seeded(3 * 4, 11), shape: [1, 1, 3, 4] };
const perChannel = { name: 'k', values: [0.5, -1.5, 2, 0.25], shape: [4] };
const scalar = { name: 's', values: [0.75], shape: [] };
const fullShape = { name: 'f', values: seeded(5 * 5 * 4, 13).map((v) => v + 2), shape: [1, 5, 5, 4] };

const binaryOps = ['Add', 'AddV2', 'BiasAdd', 'Sub', 'Mul', 'RealDiv', 'Maximum', 'Minimum', 'SquaredDifference'];
const unaryOps = ['Relu', 'Relu6', 'Elu', 'Selu', 'Sigmoid', 'Tanh', 'Exp', 'Neg', 'Abs', 'Square', 'Floor', 'Ceil', 'Softplus', 'Sign'];
const positiveOps = ['Sqrt', 'Rsqrt', 'Log', 'Reciprocal'];

for (const op of binaryOps) {
  test(`${op} with a per-channel constant after a conv matches tfjs`, async () => {
    await assertMatchesTfjs(graphModel([1, 5, 5, 3], [convWeights, perChannel], [conv, node('y', op, ['c', 'k'])]), feedOf([1, 5, 5, 3]));
  });
}

for (const op of ['Add', 'Mul', 'Sub', 'Maximum']) {
  test(`${op} with a scalar and with a full NHWC constant matches tfjs`, async () => {
    const nodes = [conv, node('a', op, ['s', 'c']), node('y', op, ['a', 'f'])];
    await assertMatchesTfjs(graphModel([1, 5, 5, 3], [convWeights, scalar, fullShape], nodes), feedOf([1, 5, 5, 3]));
  });
}

test('Add of an NCHW conv output and the NHWC graph input matches tfjs', async () => {
  const wide = { name: 'w', values: seeded(3 * 3, 17), shape: [1, 1, 3, 3] };
  await assertMatchesTfjs(graphModel([1, 4, 4, 3], [wide], [conv, node('y', 'AddV2', ['c', 'x'])]), feedOf([1, 4, 4, 3]));
});

for (const op of unaryOps) {
  test(`${op} on an NCHW tensor matches tfjs`, async () => {
    // Scaled so Relu6 clips and Floor/Sign see several values; Exp stays small enough for an absolute 1e-5.
    const feed = feedOf([1, 5, 5, 3]);
    const scale = op === 'Exp' ? 1 : 4;
    await assertMatchesTfjs(graphModel([1, 5, 5, 3], [convWeights], [conv, node('y', op, ['c'])]), { ...feed, data: feed.data.map((v) => v * scale) });
  });
}

for (const op of positiveOps) {
  test(`${op} on a rank-2 tensor matches tfjs`, async () => {
    const feed = feedOf([3, 4]);
    await assertMatchesTfjs(graphModel([3, 4], [], [node('y', op, ['x'])]), { ...feed, data: feed.data.map((v) => v + 1.5) });
  });
}

test('LeakyRelu and Prelu match tfjs', async () => {
  const alpha = { name: 'alpha', values: [0.1, 0.2, 0.3, 0.4], shape: [4] };
  const nodes = [conv, node('l', 'LeakyRelu', ['c'], { alpha: attr.f(0.15) }), node('y', 'Prelu', ['l', 'alpha'])];
  await assertMatchesTfjs(graphModel([1, 5, 5, 3], [convWeights, alpha], nodes), feedOf([1, 5, 5, 3]));
});
