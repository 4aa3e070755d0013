import { test } from 'node:test';
import { attr, assertMatchesTfjs, feedOf, graphModel, node } from './graph-fixture.js';

test('DepthToSpace block 2 matches tfjs', async () => {
  const nodes = [node('y', 'DepthToSpace', ['x'], { block_size: attr.i(2), data_format: attr.s('NHWC') })];
  await assertMatchesTfjs(graphModel([1, 3, 2, 12], [], nodes), feedOf([1, 3, 2, 12]));
});
