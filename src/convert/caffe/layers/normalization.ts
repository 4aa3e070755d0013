/**
 * Per-channel affine layers, folded into one Mul and Add each: BatchNorm
 * (Caffe keeps running sums scaled by a third blob, so mean and variance
 * are divided by it first) and Scale (learned scale and optional bias).
 * Also SSD's Normalize: L2 norm over channels (or the whole map), times a
 * learned scale.
 */
import { ints } from '../../onnx/graph-builder.js';
import { float32Add, float32Multiply } from '../float32.js';
import type { BlobTensor, CaffeContext, LayerHandler } from '../caffe-context.js';
import type { CaffeLayer } from '../net-definition.js';

function affine(layer: CaffeLayer, ctx: CaffeContext, input: BlobTensor, scale: Float32Array | undefined, bias: Float32Array | undefined): BlobTensor[] {
  const channels = input.shape[1]!;
  const b = ctx.builder;
  let name = ctx.name(input);
  const broadcast = [1, channels, ...input.shape.slice(2).map(() => 1)];
  if (scale) name = b.op('Mul', [name, b.constant(`${layer.name}_scale`, scale, broadcast)], {}, bias ? `${layer.name}_mul` : layer.name);
  if (bias) name = b.op('Add', [name, b.constant(`${layer.name}_bias`, bias, broadcast)], {}, layer.name);
  return [{ name, shape: input.shape }];
}

export const batchNorm: LayerHandler = (layer, ctx) => {
  const input = ctx.bottom(layer);
  const channels = input.shape[1]!;
  const [mean, variance, factorBlob] = ctx.layerBlobs(layer, 3);
  if (mean!.data.length !== channels || variance!.data.length !== channels) {
    throw ctx.layerError(layer, `expects ${channels} means and variances but the caffemodel has ${mean!.data.length} and ${variance!.data.length}`);
  }
  const eps = layer.message.message('batch_norm_param').number('eps', 1e-5);
  const stored = factorBlob!.data[0] ?? 1;
  const factor = stored === 0 ? 0 : Math.fround(1 / stored);
  const scale = new Float32Array(channels);
  const bias = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    // In float32, as Caffe and OpenCV compute it.
    scale[c] = Math.fround(1 / Math.fround(Math.sqrt(float32Add(float32Multiply(variance!.data[c]!, factor), eps))));
    bias[c] = -float32Multiply(float32Multiply(mean!.data[c]!, factor), scale[c]!);
  }
  return affine(layer, ctx, input, scale, bias);
};

export const scale: LayerHandler = (layer, ctx) => {
  if (layer.bottoms.length > 1) throw ctx.layerError(layer, 'takes its scale from a second bottom, which is not supported');
  const input = ctx.bottom(layer);
  const param = layer.message.message('scale_param');
  const axis = param.number('axis', 1);
  const numAxes = param.number('num_axes', 1);
  if (axis !== 1 || numAxes !== 1) throw ctx.layerError(layer, `uses axis ${axis} and num_axes ${numAxes}; only per-channel scaling (1, 1) is supported`);
  const biasTerm = param.boolean('bias_term', false);
  const blobs = ctx.layerBlobs(layer, biasTerm ? 2 : 1);
  const channels = input.shape[1]!;
  if (blobs.some((blob) => blob.data.length !== channels)) throw ctx.layerError(layer, `expects ${channels} values per blob`);
  return affine(layer, ctx, input, blobs[0]!.data, biasTerm ? blobs[1]!.data : undefined);
};

export const normalize: LayerHandler = (layer, ctx) => {
  const input = ctx.bottom(layer);
  const param = layer.message.message('norm_param');
  const acrossSpatial = param.boolean('across_spatial', true);
  const channelShared = param.boolean('channel_shared', true);
  const eps = param.number('eps', 1e-10);
  const [weights] = ctx.layerBlobs(layer, 1);
  const channels = input.shape[1]!;
  if (weights!.data.length !== (channelShared ? 1 : channels)) {
    throw ctx.layerError(layer, `expects ${channelShared ? 1 : channels} scale value(s) but the caffemodel has ${weights!.data.length}`);
  }
  const b = ctx.builder;
  const axes = acrossSpatial ? input.shape.slice(1).map((_, i) => i + 1) : [1];
  const sumSquares = b.op('ReduceSumSquare', [ctx.name(input)], { axes: ints(axes) }, `${layer.name}_sum_squares`);
  const norm = b.op('Sqrt', [b.op('Add', [sumSquares, b.floats32([eps])])], {}, `${layer.name}_norm`);
  const normalized = b.op('Div', [ctx.name(input), norm], {}, `${layer.name}_unit`);
  const scaleShape = channelShared ? [] : [1, channels, ...input.shape.slice(2).map(() => 1)];
  const name = b.op('Mul', [normalized, b.constant(`${layer.name}_scale`, weights!.data, scaleShape)], {}, layer.name);
  return [{ name, shape: input.shape }];
};
