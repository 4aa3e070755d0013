import { test } from 'node:test';
import { attr, assertMatchesTfjs, feedOf, graphModel, node } from './graph-fixture.js';

const cases = [
  { op: 'MaxPool', k: 3, s: 2, padding: 'SAME', shape: [1, 8, 7, 2] },
  { op: 'MaxPool', k: 2, s: 2, padding: 'VALID', shape: [1, 7, 7, 3] },
  { op: 'AvgPool', k: 3, s: 2, padding: 'SAME', shape: [1, 8, 7, 2] },
  { op: 'AvgPool', k: 4, s: 4, padding: 'VALID', shape: [2, 9, 8, 3] },
];

for (const c of cases) {
  test(`${c.op} ${c.k}x${c.k} stride ${c.s} ${c.padding} on ${c.shape.join('x')} matches tfjs`, async () => {
    const pool = node('y', c.op, ['x'], {
      ksize: attr.ints([1, c.k, c.k, 1]),
      strides: attr.ints([1, c.s, c.s, 1]),
      padding: attr.s(c.padding),
      data_format: attr.s('NHWC'),
    });
    await assertMatchesTfjs(graphModel(c.shape, [], [pool]), feedOf(c.shape));
  });
}
