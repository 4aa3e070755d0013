/**
 * The QDQ rewrite on a small graph: Conv -> ReLU6 -> Conv -> Add. Checks the
 * pattern (ReLU6 folded, one Q/DQ pair per tensor), that onnxruntime fuses
 * both convolutions into QLinearConv, and that the outputs stay close to float32.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ort from 'onnxruntime-node';
import { GraphBuilder, int, ints } from '../../../../src/convert/onnx/graph-builder.js';
import { measureBiasCorrections } from '../../../../src/convert/quantize/bias-correction.js';
import { ModelGraph } from '../../../../src/convert/quantize/model-graph.js';
import { collectRanges } from '../../../../src/convert/quantize/collect-ranges.js';
import { quantizeModel } from '../../../../src/convert/quantize/quantize-model.js';
import { optimizedOpCounts } from '../../../helpers/optimized-graph.js';

/** Deterministic pseudo-random numbers in [-1, 1). */
function noise(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    out[i] = s / 2 ** 30 - 1;
  }
  return out;
}

function smallNet(): Uint8Array {
  const g = new GraphBuilder('small');
  const x = g.input('image', [1, 3, 16, 16]);
  const c1 = g.op('Conv', [x, g.constant('w1', noise(8 * 3 * 9, 1), [8, 3, 3, 3]), g.constant('b1', noise(8, 2), [8])], { pads: ints([1, 1, 1, 1]) }, 'conv1');
  const r = g.op('Clip', [c1, g.floats32([0]), g.floats32([6])], {}, 'conv1/relu6');
  const c2 = g.op('Conv', [r, g.constant('w2', noise(8 * 9, 3), [8, 1, 3, 3]), g.constant('b2', noise(8, 4), [8])], { pads: ints([1, 1, 1, 1]), group: int(8) }, 'conv2');
  g.output(g.op('Add', [c2, r], {}, 'sum'), 'y', [1, 8, 16, 16]);
  return g.serialize();
}

const feed = (seed: number) => ({ image: new ort.Tensor('float32', noise(3 * 16 * 16, seed).map((v) => 2 * v), [1, 3, 16, 16]) });

describe('rewriteToQdq on a small Conv -> ReLU6 -> depthwise Conv graph', async () => {
  const fp32 = smallNet();
  const ranges = await collectRanges(fp32, [feed(10), feed(11), feed(12)]);
  const { bytes, summary } = quantizeModel(fp32, ranges, { method: 'minmax', keepFloat: [] });
  const graph = ModelGraph.decode(bytes);
  const ops = graph.nodes.map((n) => n.opType);

  it('folds the ReLU6 into the Q after the first convolution', () => {
    assert.equal(summary.foldedActivations, 1);
    assert.ok(!ops.includes('Clip'), ops.join(' '));
  });

  it('gives every activation tensor one Q -> DQ pair, however many read it', () => {
    // image, conv1's ReLU6 output (read by conv2 and Add), conv2's output.
    assert.equal(ops.filter((o) => o === 'QuantizeLinear').length, 3);
    const qOutputs = new Set(graph.nodes.filter((n) => n.opType === 'QuantizeLinear').map((n) => n.output[0]));
    for (const q of graph.nodes.filter((n) => n.opType === 'QuantizeLinear')) {
      assert.ok(!qOutputs.has(q.input[0]!), 'a Q reads another Q');
    }
  });

  it('is fused by onnxruntime into QLinearConv for both convolutions', async () => {
    const counts = await optimizedOpCounts(bytes);
    assert.equal(counts.get('QLinearConv'), 2);
    assert.equal(counts.get('Conv') ?? 0, 0);
  });

  it('keeps a listed convolution in float32', async () => {
    const kept = quantizeModel(fp32, ranges, { method: 'minmax', keepFloat: ['conv2/node'] });
    assert.deepEqual(kept.summary.quantizedConvs, ['conv1/node']);
    assert.equal((await optimizedOpCounts(kept.bytes)).get('QLinearConv'), 1);
    assert.throws(() => quantizeModel(fp32, ranges, { method: 'minmax', keepFloat: ['nope'] }), /No Conv node "nope" to keep in float32. Should be one of: conv1\/node, conv2\/node/);
  });

  it('stays within a few quantisation steps of float32 and is deterministic', async () => {
    assert.deepEqual(quantizeModel(fp32, ranges, { method: 'minmax', keepFloat: [] }).bytes, bytes);
    const run = async (model: Uint8Array) => (await (await ort.InferenceSession.create(model)).run(feed(20))).y!.data as Float32Array;
    const [a, b] = [await run(fp32), await run(bytes)];
    let worst = 0;
    let scale = 0;
    for (let i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
      scale = Math.max(scale, Math.abs(a[i]!));
    }
    assert.ok(worst < 0.05 * scale, `largest difference ${worst} against values up to ${scale}`);
  });

  it('adds a measured bias correction before quantising the bias, and measures one that shrinks the shift', async () => {
    const correction = Array.from({ length: 8 }, (_, c) => (c - 4) / 10);
    const corrected = ModelGraph.decode(quantizeModel(fp32, ranges, { method: 'minmax', keepFloat: [], biasCorrections: { 'conv2/node': correction } }).bytes);
    const plain = ModelGraph.decode(bytes);
    const dequantized = (g: ModelGraph) => {
      const values = new Int32Array(Uint8Array.from(g.graph.initializer.find((i) => i.name === 'conv2/node/b_int32')!.rawData as Uint8Array).buffer);
      const scales = g.floatInitializer('conv2/node/b_scale').data;
      return [...values].map((v, c) => v * scales[c]!);
    };
    dequantized(corrected).forEach((v, c) => assert.ok(Math.abs(v - dequantized(plain)[c]! - correction[c]!) < 1e-3, `channel ${c}: ${v} against ${dequantized(plain)[c]} + ${correction[c]}`));
    const measured = await measureBiasCorrections(fp32, bytes, ['conv2/node'], [feed(10), feed(11)]);
    assert.equal(measured['conv2/node']!.length, 8);
    const fixed = quantizeModel(fp32, ranges, { method: 'minmax', keepFloat: [], biasCorrections: measured }).bytes;
    const again = await measureBiasCorrections(fp32, fixed, ['conv2/node'], [feed(10), feed(11)]);
    const size = (xs: number[]) => xs.reduce((a, x) => a + Math.abs(x), 0);
    assert.ok(size(again['conv2/node']!) <= size(measured['conv2/node']!) + 1e-6, `${again['conv2/node']} after ${measured['conv2/node']}`);
  });

  it('names a tensor the calibration table lacks', () => {
    assert.throws(() => quantizeModel(fp32, {}, { method: 'minmax', keepFloat: [] }), /No calibrated range for tensor "conv1\/relu6": the calibration table is out of date/);
  });
});
