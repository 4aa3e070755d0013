/**
 * Caffe Convolution -> ONNX Conv: groups, dilation, and pad/stride/kernel
 * in any spelling. Weights are [out, in/group, kh, kw] as in ONNX.
 */
import { int, ints } from '../../onnx/graph-builder.js';
import { sizeOf, type BlobTensor, type LayerHandler } from '../caffe-context.js';
import { spatialPair } from './spatial-params.js';

/** Output length of a convolution along one axis (Caffe floors). */
export function convolvedLength(input: number, kernel: number, pad: number, stride: number, dilation: number): number {
  return Math.floor((input + 2 * pad - (dilation * (kernel - 1) + 1)) / stride) + 1;
}

export const convolution: LayerHandler = (layer, ctx) => {
  const param = layer.message.message('convolution_param');
  const input = ctx.bottom(layer);
  const [n, channels, height, width] = input.shape as [number, number, number, number];
  const biasTerm = param.boolean('bias_term', true);
  const blobs = ctx.layerBlobs(layer, biasTerm ? 2 : 1);
  const outputs = param.number('num_output');
  const group = param.number('group', 1);
  let kernel, pad, stride, dilation;
  try {
    kernel = spatialPair(param, 'kernel', undefined);
    pad = spatialPair(param, 'pad', 0);
    stride = spatialPair(param, 'stride', 1);
    dilation = spatialPair(param, 'dilation', 1);
  } catch (error) {
    throw ctx.layerError(layer, `has bad convolution_param: ${(error as Error).message}`);
  }
  if (outputs === undefined || channels % group !== 0 || outputs % group !== 0) {
    throw ctx.layerError(layer, `needs num_output and a group (${group}) dividing both ${channels} input and ${outputs} output channels`);
  }
  const weightShape = [outputs, channels / group, kernel[0], kernel[1]];
  const weights = blobs[0]!;
  if (weights.data.length !== sizeOf(weightShape)) {
    throw ctx.layerError(layer, `expects weights of shape [${weightShape.join(', ')}] but the caffemodel has [${weights.shape.join(', ')}]`);
  }
  const inputs = [ctx.name(input), ctx.builder.constant(`${layer.name}_weights`, weights.data, weightShape)];
  if (biasTerm) {
    if (blobs[1]!.data.length !== outputs) throw ctx.layerError(layer, `expects ${outputs} biases but the caffemodel has ${blobs[1]!.data.length}`);
    inputs.push(ctx.builder.constant(`${layer.name}_bias`, blobs[1]!.data, [outputs]));
  }
  const name = ctx.builder.op('Conv', inputs, {
    kernel_shape: ints(kernel),
    pads: ints([pad[0], pad[1], pad[0], pad[1]]),
    strides: ints(stride),
    dilations: ints(dilation),
    group: int(group),
  }, layer.name);
  const shape = [n, outputs, convolvedLength(height, kernel[0], pad[0], stride[0], dilation[0]), convolvedLength(width, kernel[1], pad[1], stride[1], dilation[1])];
  return [{ name, shape } satisfies BlobTensor];
};
