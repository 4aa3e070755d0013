/**
 * The Caffe converter on small hand-written nets with known answers: the
 * caffemodel reader (both forms), Caffe's pooling size rule, BatchNorm's
 * scale factor, PriorBox values, and errors that name layer, type and file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ort from 'onnxruntime-node';
import { readCaffeModel } from '../../../../src/convert/caffe/caffemodel.js';
import { convertCaffeNet } from '../../../../src/convert/caffe/convert-caffe.js';
import { pooledLength } from '../../../../src/convert/caffe/layers/pooling.js';
import { priorBoxes, priorBoxSpec } from '../../../../src/convert/caffe/layers/prior-box.js';
import { readNetDefinition } from '../../../../src/convert/caffe/net-definition.js';
import { parseTextFormat } from '../../../../src/convert/caffe/text-format.js';
import { writeCaffeModel } from '../../../helpers/caffe-model-writer.js';

const blob = (shape: number[], values: number[]) => ({ shape, data: Float32Array.from(values) });

async function run(prototxt: string, weights: Map<string, { shape: number[]; data: Float32Array }[]>, input: number[], shape: number[], legacy = false) {
  const net = readNetDefinition(prototxt, 'test.prototxt');
  const { onnx, outputs } = convertCaffeNet(net, writeCaffeModel(net, weights, { legacy }), 'test.caffemodel');
  const session = await ort.InferenceSession.create(onnx);
  const result = await session.run({ [net.inputs[0]!.name]: new ort.Tensor('float32', Float32Array.from(input), shape) });
  return { values: Array.from(result[outputs[0]!.name]!.data as Float32Array), outputs };
}

test('caffemodel reader: current and legacy forms give the same blobs', () => {
  const net = readNetDefinition('input: "d" input_dim: 1 input_dim: 1 input_dim: 1 input_dim: 1 layer { name: "fc" type: "InnerProduct" bottom: "d" top: "y" inner_product_param { num_output: 2 } }', 't');
  const weights = new Map([['fc', [blob([2, 1], [1.5, -2]), blob([2], [0.25, 0.5])]]]);
  for (const legacy of [false, true]) {
    const read = readCaffeModel(writeCaffeModel(net, weights, { legacy }), 'fc.caffemodel');
    assert.deepEqual(Array.from(read.get('fc')![0]!.data), [1.5, -2]);
    assert.deepEqual(read.get('fc')![1]!.shape, legacy ? [1, 1, 1, 2] : [2]);
  }
  assert.throws(() => readCaffeModel(Uint8Array.of(0x0a, 0xff), 'bad.caffemodel'), /bad.caffemodel is not a readable caffemodel/);
});

test("pooling: Caffe's ceil rounding, and a window starting in the padding is dropped", () => {
  assert.equal(pooledLength(56, 3, 0, 2, true), 28);
  assert.equal(pooledLength(56, 3, 0, 2, false), 27);
  assert.equal(pooledLength(4, 2, 1, 2, true), 3);
  assert.equal(pooledLength(5, 3, 1, 2, true), 3);
});

test('pooling: MAX with a partial last window, AVE divided by the padded window as Caffe does', async () => {
  const proto = (pool: string) => `input: "d" input_dim: 1 input_dim: 1 input_dim: 3 input_dim: 3
    layer { name: "p" type: "Pooling" bottom: "d" top: "y" pooling_param { pool: ${pool} kernel_size: 2 stride: 2 pad: 1 } }`;
  const x = [1, 2, 3, 4, 5, 6, 7, 8, 9];
  assert.deepEqual((await run(proto('MAX'), new Map(), x, [1, 1, 3, 3])).values, [1, 3, 7, 9]);
  // Windows of 2x2 anchored at -1: Caffe divides by the window clipped to input + pad (2x2 = 4), not by the pixels inside.
  assert.deepEqual((await run(proto('AVE'), new Map(), x, [1, 1, 3, 3])).values, [1 / 4, (2 + 3) / 4, (4 + 7) / 4, (5 + 6 + 8 + 9) / 4]);
});

test('BatchNorm divides its running sums by the scale factor; Scale and Eltwise SUM with coefficients', async () => {
  const proto = `input: "d" input_dim: 1 input_dim: 1 input_dim: 1 input_dim: 2
    layer { name: "bn" type: "BatchNorm" bottom: "d" top: "b" batch_norm_param { eps: 0 } }
    layer { name: "sc" type: "Scale" bottom: "b" top: "s" scale_param { bias_term: true } }
    layer { name: "sum" type: "Eltwise" bottom: "s" bottom: "d" top: "y" eltwise_param { coeff: 1 coeff: -0.5 } }`;
  const weights = new Map([
    ['bn', [blob([1], [4]), blob([1], [16]), blob([1], [2])]], // mean 2, variance 8
    ['sc', [blob([1], [3]), blob([1], [1])]],
  ]);
  const { values } = await run(proto, weights, [2, 2 + Math.sqrt(8)], [1, 1, 1, 2]);
  assert.deepEqual(values.map((v) => Math.round(v * 1e5) / 1e5), [1 - 1, Math.round((3 * 1 + 1 - 0.5 * (2 + Math.sqrt(8))) * 1e5) / 1e5]);
});

test('PriorBox: min, sqrt(min*max), then flipped ratios, centred on each cell', () => {
  const spec = priorBoxSpec(parseTextFormat('min_size: 30 max_size: 60 aspect_ratio: 2 flip: true variance: 0.1 variance: 0.1 variance: 0.2 variance: 0.2 step: 8 offset: 0.5', 'pb'));
  const priors = priorBoxes(spec, 1, 1, 300, 300);
  assert.equal(priors.length, 2 * 4 * 4);
  const box = (i: number) => Array.from(priors.subarray(i * 4, i * 4 + 4)).map((v) => Math.round(v * 300 * 1000) / 1000);
  assert.deepEqual(box(0), [-11, -11, 19, 19]);
  const side = Math.sqrt(30 * 60);
  assert.deepEqual(box(1), [4 - side / 2, 4 - side / 2, 4 + side / 2, 4 + side / 2].map((v) => Math.round(v * 1000) / 1000));
  const w = 30 * Math.sqrt(2);
  assert.deepEqual(box(2).map(Math.round), [4 - w / 2, 4 - 30 / Math.sqrt(2) / 2, 4 + w / 2, 4 + 30 / Math.sqrt(2) / 2].map(Math.round));
  assert.deepEqual(Array.from(priors.subarray(16, 20)).map((v) => Math.round(v * 10) / 10), [0.1, 0.1, 0.2, 0.2]);
});

test('errors name the layer, its type and the file', () => {
  const net = readNetDefinition('input: "d" input_dim: 1 input_dim: 1 input_dim: 2 input_dim: 2 layer { name: "weird" type: "Crop" bottom: "d" top: "y" }', 'deploy.prototxt');
  assert.throws(() => convertCaffeNet(net, new Uint8Array(), 'w.caffemodel'), /Unsupported Caffe layer "weird" of type Crop in deploy.prototxt/);
  const conv = readNetDefinition('input: "d" input_dim: 1 input_dim: 1 input_dim: 2 input_dim: 2 layer { name: "c" type: "Convolution" bottom: "d" top: "y" convolution_param { num_output: 1 kernel_size: 1 } }', 'deploy.prototxt');
  assert.throws(() => convertCaffeNet(conv, new Uint8Array(), 'w.caffemodel'), /Layer "c" \(Convolution\) of deploy.prototxt needs 2 weight blob\(s\) but w.caffemodel has 0/);
});
