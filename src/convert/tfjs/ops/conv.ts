/**
 * Convolutions: Conv2D, DepthwiseConv2dNative and their grappler-fused
 * forms with BiasAdd and an activation. Filters must be constants; they are
 * reordered once at conversion time (HWIO -> OIHW).
 */
import { int, ints } from '../../onnx/graph-builder.js';
import { computed, transposeConstant, type ConversionContext, type Value } from '../conversion-context.js';
import { attrStrings } from '../attributes.js';
import type { TfNode } from '../model-json.js';
import type { OpTable } from '../op-handler.js';
import { applyActivation, parseFusedOps } from './fused-activation.js';
import { windowAttributes } from './spatial-attributes.js';

/** HWIO filter -> ONNX OIHW weights. */
function convWeights(ctx: ConversionContext, node: TfNode): { weights: string; kernel: number[]; group: number } {
  const filter = ctx.constantInput(node, 1);
  const [h, w] = filter.shape;
  const permuted = transposeConstant(filter, [3, 2, 0, 1]);
  return { weights: ctx.builder.constant(`${node.name}/weights`, permuted.data, permuted.shape), kernel: [h!, w!], group: 1 };
}

/** Depthwise HWCM filter -> ONNX [C*M, 1, H, W] with group C (TF output channel is c*M + m). */
function depthwiseWeights(ctx: ConversionContext, node: TfNode): { weights: string; kernel: number[]; group: number } {
  const filter = ctx.constantInput(node, 1);
  const [h, w, channels, multiplier] = filter.shape as [number, number, number, number];
  const permuted = transposeConstant(filter, [2, 3, 0, 1]);
  const shape = [channels * multiplier, 1, h, w];
  return { weights: ctx.builder.constant(`${node.name}/weights`, permuted.data, shape), kernel: [h, w], group: channels };
}

function convolution(depthwise: boolean, fused: boolean) {
  return (node: TfNode, ctx: ConversionContext): Value[] => {
    const inputs = ctx.inputs(node);
    const { weights, kernel, group } = depthwise ? depthwiseWeights(ctx, node) : convWeights(ctx, node);
    const { bias, activation } = fused ? parseFusedOps(ctx, node, attrStrings(node, 'fused_ops')) : { bias: false, activation: undefined };
    const convInputs = [ctx.nchw(inputs[0]!), weights];
    if (bias) convInputs.push(biasVector(ctx, node, inputs[2]!));
    const attributes = { ...windowAttributes(ctx, node, true), kernel_shape: ints(kernel), group: int(group) };
    let y = ctx.builder.op('Conv', convInputs, attributes, node.name);
    if (activation) y = applyActivation(ctx, node, activation, y, 'nchw', inputs[bias ? 3 : 2]);
    return [computed('float32', 4, y, 'nchw')];
  };
}

/** Conv's bias input is a 1-D [C] tensor, which TF's BiasAdd argument already is. */
function biasVector(ctx: ConversionContext, node: TfNode, bias: Value): string {
  if (bias.rank !== 1) throw new Error(`Node "${node.name}" of ${ctx.source} has a bias of rank ${bias.rank ?? 'unknown'}, expected 1`);
  return ctx.tf(bias);
}

export const convOps: OpTable = {
  Conv2D: convolution(false, false),
  _FusedConv2D: convolution(false, true),
  DepthwiseConv2dNative: convolution(true, false),
  DepthwiseConv2d: convolution(true, false),
  FusedDepthwiseConv2dNative: convolution(true, true),
  _FusedDepthwiseConv2dNative: convolution(true, true),
};
