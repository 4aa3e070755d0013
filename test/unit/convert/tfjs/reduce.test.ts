import { test } from 'node:test';
import { attr, assertMatchesTfjs, feedOf, graphModel, node, seeded } from './graph-fixture.js';

const conv = node('c', 'Conv2D', ['x', 'w'], { strides: attr.ints([1, 1, 1, 1]), dilations: attr.ints([1, 1, 1, 1]), padding: attr.s('VALID'), data_format: attr.s('NHWC') });
const convWeights = { name: 'w', values: seeded(3 * 4, 11), shape: [1, 1, 3, 4] };

const cases = [
  { op: 'Mean', axes: [1, 2], keep: false },
  { op: 'Mean', axes: [1, 2], keep: true },
  { op: 'Max', axes: [1, 2], keep: false },
  { op: 'Sum', axes: [-1], keep: false },
  { op: 'Sum', axes: [3], keep: true },
  { op: 'Min', axes: [0], keep: false },
  { op: 'Prod', axes: [2], keep: false },
];

for (const c of cases) {
  test(`${c.op} over [${c.axes}] keep_dims=${c.keep} of a conv output matches tfjs`, async () => {
    const axes = { name: 'axes', values: c.axes, shape: [c.axes.length], dtype: 'int32' as const };
    const reduce = node('y', c.op, ['c', 'axes'], { keep_dims: attr.b(c.keep), Tidx: attr.type('DT_INT32') });
    await assertMatchesTfjs(graphModel([2, 3, 4, 3], [convWeights, axes], [conv, reduce]), feedOf([2, 3, 4, 3]));
  });
}

test('Mean of a rank-2 input matches tfjs', async () => {
  const axes = { name: 'axes', values: [1], shape: [1], dtype: 'int32' as const };
  await assertMatchesTfjs(graphModel([3, 5], [axes], [node('y', 'Mean', ['x', 'axes'], { keep_dims: attr.b(false) })]), feedOf([3, 5]));
});
