import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quantizeBias, quantizeWeightsPerChannel, roundHalfEven } from '../../../../src/convert/quantize/weight-quantization.js';

describe('roundHalfEven (as QuantizeLinear rounds)', () => {
  for (const [x, expected] of [[0.5, 0], [1.5, 2], [2.5, 2], [-0.5, -0], [-1.5, -2], [1.4, 1], [-2.6, -3]] as const) {
    it(`${x} -> ${expected}`, () => assert.equal(roundHalfEven(x), expected));
  }
});

describe('quantizeWeightsPerChannel', () => {
  it('gives each output channel its own symmetric scale max|w|/127', () => {
    const weights = Float32Array.from([1, -0.5, 0.25, 0.01, -0.02, 0.04]);
    const { values, scales } = quantizeWeightsPerChannel(weights, 2);
    assert.deepEqual([...scales], [Math.fround(1 / 127), Math.fround(0.04 / 127)]);
    assert.deepEqual([values[0], values[5]], [127, 127]);
    values.forEach((q, i) => {
      const scale = scales[Math.floor(i / 3)]!;
      assert.ok(Math.abs(q * scale - weights[i]!) <= scale / 2 + 1e-9, `weight ${i}: ${q} x ${scale} for ${weights[i]}`);
    });
  });

  it('keeps a positive scale for an all-zero channel', () => {
    const { values, scales } = quantizeWeightsPerChannel(new Float32Array(4), 2);
    assert.deepEqual([...scales], [1, 1]);
    assert.deepEqual([...values], [0, 0, 0, 0]);
  });

  it('rejects weights that do not split into the channels', () => {
    assert.throws(() => quantizeWeightsPerChannel(new Float32Array(5), 2), /5 weights do not split into 2 channels/);
  });
});

describe('quantizeBias', () => {
  it('uses exactly the float32 product input scale x weight scale per channel', () => {
    const weightScales = Float32Array.from([0.003, 0.0007]);
    const { values, scales } = quantizeBias(Float32Array.from([0.5, -0.25]), 6 / 255, weightScales);
    for (let c = 0; c < 2; c++) {
      assert.equal(scales[c], Math.fround(Math.fround(6 / 255) * weightScales[c]!));
      assert.ok(Math.abs(values[c]! * scales[c]! - [0.5, -0.25][c]!) <= scales[c]! / 2);
    }
  });
});
