import { test } from 'node:test';
import { attr, assertMatchesTfjs, feedOf, graphModel, node, seeded } from './graph-fixture.js';

const weights = (k: number, n: number, transposed = false) => ({ name: 'w', values: seeded(k * n, 21), shape: transposed ? [n, k] : [k, n] });
const bias = { name: 'b', values: seeded(6, 23), shape: [6] };

test('MatMul matches tfjs', async () => {
  await assertMatchesTfjs(graphModel([3, 5], [weights(5, 6)], [node('y', 'MatMul', ['x', 'w'])]), feedOf([3, 5]));
});

test('MatMul with transpose_b matches tfjs', async () => {
  const nodes = [node('y', 'MatMul', ['x', 'w'], { transpose_b: attr.b(true) })];
  await assertMatchesTfjs(graphModel([3, 5], [weights(5, 6, true)], nodes), feedOf([3, 5]));
});

for (const fused of [['BiasAdd'], ['BiasAdd', 'Relu'], ['BiasAdd', 'Relu6'], ['BiasAdd', 'Sigmoid']]) {
  test(`_FusedMatMul ${fused.join(' + ')} matches tfjs`, async () => {
    const nodes = [node('y', '_FusedMatMul', ['x', 'w', 'b'], { fused_ops: attr.strs(fused), num_args: attr.i(1), transpose_a: attr.b(false), transpose_b: attr.b(false) })];
    const feed = feedOf([2, 5]);
    await assertMatchesTfjs(graphModel([2, 5], [weights(5, 6), bias], nodes), { ...feed, data: feed.data.map((v) => v * 3) });
  });
}

test('BatchMatMulV2 of rank-3 tensors with adj_y matches tfjs', async () => {
  const right = { name: 'w', values: seeded(2 * 6 * 5, 25), shape: [2, 6, 5] };
  await assertMatchesTfjs(graphModel([2, 3, 5], [right], [node('y', 'BatchMatMulV2', ['x', 'w'], { adj_y: attr.b(true) })]), feedOf([2, 3, 5]));
});
