/**
 * Layers that map each value on its own: ReLU (with negative_slope),
 * Power, Sigmoid, TanH, and the pass-throughs Dropout (identity at test
 * time) and Split (the same blob under several names).
 */
import { float } from '../../onnx/graph-builder.js';
import type { LayerHandler } from '../caffe-context.js';

export const relu: LayerHandler = (layer, ctx) => {
  const input = ctx.bottom(layer);
  const slope = layer.message.message('relu_param').number('negative_slope', 0);
  const name =
    slope === 0
      ? ctx.builder.op('Relu', [ctx.name(input)], {}, layer.name)
      : ctx.builder.op('LeakyRelu', [ctx.name(input)], { alpha: float(slope) }, layer.name);
  return [{ name, shape: input.shape }];
};

/** y = (shift + scale * x) ^ power, with the no-op parts left out. */
export const power: LayerHandler = (layer, ctx) => {
  const input = ctx.bottom(layer);
  const param = layer.message.message('power_param');
  const exponent = param.number('power', 1);
  const scale = param.number('scale', 1);
  const shift = param.number('shift', 0);
  const b = ctx.builder;
  let name = ctx.name(input);
  if (scale !== 1) name = b.op('Mul', [name, b.floats32([scale])], {}, `${layer.name}_scale`);
  if (shift !== 0) name = b.op('Add', [name, b.floats32([shift])], {}, `${layer.name}_shift`);
  if (exponent !== 1) name = b.op('Pow', [name, b.floats32([exponent])], {}, layer.name);
  if (name === input.name) name = b.op('Identity', [name], {}, layer.name);
  return [{ name, shape: input.shape }];
};

const unary =
  (op: string): LayerHandler =>
  (layer, ctx) => {
    const input = ctx.bottom(layer);
    return [{ name: ctx.builder.op(op, [ctx.name(input)], {}, layer.name), shape: input.shape }];
  };

export const sigmoid = unary('Sigmoid');
export const tanh = unary('Tanh');

/** Dropout scales at training time only; at test time it passes its input on. */
export const dropout: LayerHandler = (layer, ctx) => [ctx.bottom(layer)];

export const split: LayerHandler = (layer, ctx) => layer.tops.map(() => ctx.bottom(layer));
