import { test } from 'node:test';
import { attr, assertMatchesTfjs, feedOf, graphModel, node } from './graph-fixture.js';

const ints = (name: string, values: number[]) => ({ name, values, shape: [values.length], dtype: 'int32' as const });
const shape = [2, 5, 6, 3];

const stridedCases = [
  { title: 'shrink axis 1 of a rank-2 slice (SSR-Net)', input: [4, 3], begin: [0, 1], end: [0, 2], strides: [1, 1], masks: { begin_mask: 1, end_mask: 1, shrink_axis_mask: 2 } },
  { title: 'steps and bounds', input: shape, begin: [0, 1, 0, 0], end: [2, 5, 6, 2], strides: [1, 2, 3, 1], masks: {} },
  { title: 'negative stride with begin/end masks', input: shape, begin: [0, 0, 0, 0], end: [0, 0, 0, 0], strides: [1, -1, 1, -1], masks: { begin_mask: 15, end_mask: 15 } },
  { title: 'shrink the last index (-1)', input: shape, begin: [0, -1], end: [0, 0], strides: [1, 1], masks: { begin_mask: 1, end_mask: 1, shrink_axis_mask: 2 } },
  { title: 'ellipsis and new axis', input: shape, begin: [0, 0, 1], end: [0, 0, 3], strides: [1, 1, 1], masks: { ellipsis_mask: 1, new_axis_mask: 2 } },
  { title: 'an INT32_MAX end (exact int32 weights)', input: shape, begin: [0, 2], end: [2147483647, 2147483647], strides: [1, 1], masks: {} },
  { title: 'negative begin and end', input: shape, begin: [0, -4, -5, 0], end: [2, -1, -1, 3], strides: [1, 1, 2, 1], masks: {} },
];

for (const c of stridedCases) {
  test(`StridedSlice ${c.title} matches tfjs`, async () => {
    const masks = Object.fromEntries(Object.entries(c.masks).map(([k, v]) => [k, attr.i(v)]));
    const nodes = [node('y', 'StridedSlice', ['x', 'b', 'e', 's'], { Index: attr.type('DT_INT32'), ...masks })];
    await assertMatchesTfjs(graphModel(c.input, [ints('b', c.begin), ints('e', c.end), ints('s', c.strides)], nodes), feedOf(c.input));
  });
}

test('Slice with size -1 matches tfjs', async () => {
  const nodes = [node('y', 'Slice', ['x', 'b', 'size'], { Index: attr.type('DT_INT32') })];
  await assertMatchesTfjs(graphModel(shape, [ints('b', [1, 2, 0, 1]), ints('size', [1, -1, 4, 2])], nodes), feedOf(shape));
});
