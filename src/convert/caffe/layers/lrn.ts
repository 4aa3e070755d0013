/**
 * Caffe LRN across channels -> ONNX LRN. Both divide by
 * (k + alpha / size * sum of squares over `size` channels) ^ beta.
 */
import { float, int } from '../../onnx/graph-builder.js';
import type { LayerHandler } from '../caffe-context.js';

export const lrn: LayerHandler = (layer, ctx) => {
  const param = layer.message.message('lrn_param');
  const region = param.string('norm_region', 'ACROSS_CHANNELS');
  if (region !== 'ACROSS_CHANNELS') throw ctx.layerError(layer, `uses norm_region ${region}; only ACROSS_CHANNELS is supported`);
  const input = ctx.bottom(layer);
  const name = ctx.builder.op('LRN', [ctx.name(input)], {
    size: int(param.number('local_size', 5)),
    alpha: float(param.number('alpha', 1)),
    beta: float(param.number('beta', 0.75)),
    bias: float(param.number('k', 1)),
  }, layer.name);
  return [{ name, shape: input.shape }];
};
