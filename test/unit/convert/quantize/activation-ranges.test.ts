import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RangeAccumulator, uint8Params } from '../../../../src/convert/quantize/activation-ranges.js';

describe('uint8Params', () => {
  it('gives zero point 0 to a range starting at 0 (what lets ReLU6 fold into the Q)', () => {
    assert.deepEqual(uint8Params([0, 6]), { scale: Math.fround(6 / 255), zeroPoint: 0 });
  });

  it('maps 0..255 pixels exactly (scale 1)', () => {
    assert.deepEqual(uint8Params([0, 255]), { scale: 1, zeroPoint: 0 });
  });

  it('widens a range to hold 0 so zero stays exact', () => {
    const { scale, zeroPoint } = uint8Params([2, 4]);
    assert.equal(zeroPoint, 0);
    assert.equal(scale, Math.fround(4 / 255));
    const negative = uint8Params([-10, 5]);
    assert.equal(negative.zeroPoint, 170);
    assert.equal(negative.scale, Math.fround(15 / 255));
  });
});

describe('RangeAccumulator', () => {
  it('reports min/max and percentiles that clip a rare outlier', () => {
    const values = new Float32Array(100_000);
    for (let i = 0; i < values.length; i++) values[i] = (i % 1000) / 1000; // 0 .. 0.999
    values[7] = 50; // one outlier
    const acc = new RangeAccumulator();
    acc.observeExtent(values);
    acc.observeHistogram(values);
    const ranges = acc.ranges();
    assert.deepEqual(ranges.minmax, [0, 50]);
    assert.equal(ranges['p99.9'][0], 0);
    assert.ok(ranges['p99.9'][1] > 0.9 && ranges['p99.9'][1] < 1.1, `p99.9 ${ranges['p99.9'][1]}`);
    assert.ok(ranges['p99.99'][1] < 1.1, `p99.99 ${ranges['p99.99'][1]}`);
  });
});
