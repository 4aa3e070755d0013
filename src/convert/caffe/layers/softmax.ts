/** Caffe Softmax (over `axis`, default the channels) -> ONNX Softmax (opset 13+: one axis). */
import { int } from '../../onnx/graph-builder.js';
import { canonicalAxis, type LayerHandler } from '../caffe-context.js';

export const softmax: LayerHandler = (layer, ctx) => {
  const input = ctx.bottom(layer);
  const axis = canonicalAxis(layer.message.message('softmax_param').number('axis', 1), input.shape.length);
  return [{ name: ctx.builder.op('Softmax', [ctx.name(input)], { axis: int(axis) }, layer.name), shape: input.shape }];
};
