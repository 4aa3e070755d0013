import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fitMonotoneMap, isotonicBlocks, mergeLightBlocks } from '../../../src/calibrate/isotonic.js';
import { interpolate } from '../../../src/pipeline/attributes/attribute-calibration.js';

const xy = (blocks: { x: number; y: number; weight: number }[]) => blocks.map(({ x, y, weight }) => [x, y, weight]);

describe('pool-adjacent-violators', () => {
  it('pools the one violating pair into its mean', () => {
    assert.deepEqual(xy(isotonicBlocks([1, 2, 3, 4], [1, 3, 2, 4])), [[1, 1, 1], [2.5, 2.5, 2], [4, 4, 1]]);
  });

  it('pools back as far as needed (a late low target pulls earlier blocks down)', () => {
    // 1, 5, 6, then 0: 6 and 0 pool to 3, below 5, so 5 joins: (5 + 6 + 0) / 3 = 11/3, above 1.
    assert.deepEqual(xy(isotonicBlocks([1, 2, 3, 4], [1, 5, 6, 0])), [[1, 1, 1], [3, 11 / 3, 3]]);
  });

  it('with the median, a block takes its targets\' median', () => {
    // 5 then 1 pool (median 3), then 2 is below 3: all three pool, median 2.
    assert.deepEqual(xy(isotonicBlocks([1, 2, 3], [5, 1, 2], 'median')), [[2, 2, 3]]);
  });

  it('keeps increasing data as it is and treats equal inputs as one group', () => {
    assert.deepEqual(xy(isotonicBlocks([3, 1, 2], [30, 10, 20])), [[1, 10, 1], [2, 20, 1], [3, 30, 1]]);
    assert.deepEqual(xy(isotonicBlocks([1, 1, 2], [3, 1, 5])), [[1, 2, 2], [2, 5, 1]]);
  });

  it('merges a light block into the nearer neighbour', () => {
    const blocks = isotonicBlocks([1, 2, 3, 4, 5], [0, 10, 10, 11, 11]);
    // Blocks: (1, 0, w1), (2.5, 10, w2), (4.5, 11, w2); the single one at the left has only a right neighbour.
    assert.deepEqual(xy(mergeLightBlocks(blocks, 2)), [[2, 20 / 3, 3], [4.5, 11, 2]]);
  });

  it('the fitted map is non-decreasing on noisy data, and goes on with slope 1 past its ends', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const xs = Array.from({ length: 500 }, () => 80 * random());
    const ys = xs.map((x) => 5 + 0.8 * x + 20 * (random() - 0.5));
    for (const loss of ['mean', 'median'] as const) {
      const map = fitMonotoneMap(xs, ys, 20, loss);
      assert.ok(map.from.every((x, i) => i === 0 || x > map.from[i - 1]!), 'knots increase');
      assert.ok(map.to.every((y, i) => i === 0 || y >= map.to[i - 1]!), 'values never decrease');
      const last = map.from.length - 1;
      assert.ok(Math.abs(interpolate(map.from, map.to, map.from[last]! + 10) - (map.to[last]! + 10)) < 1e-9);
      assert.ok(Math.abs(interpolate(map.from, map.to, map.from[0]! - 10) - (map.to[0]! - 10)) < 1e-9);
      // The truth at 40 is 37; with 500 points and blocks of 20 the map lands near it.
      assert.ok(Math.abs(interpolate(map.from, map.to, 40) - 37) < 3, `${loss}: ${interpolate(map.from, map.to, 40)}`);
    }
  });

  it('puts knots at block centres with one more a year out on each side', () => {
    assert.deepEqual(fitMonotoneMap([10, 20, 30, 40], [14, 22, 28, 45], 1), { from: [9, 10, 20, 30, 40, 41], to: [13, 14, 22, 28, 45, 46] });
    assert.throws(() => fitMonotoneMap([], [], 1), /at least one point/);
  });
});
