/**
 * Caffe InnerProduct -> Flatten + Gemm. Caffe stores the weights as
 * [num_output, inputs] (transposed unless `transpose: true`), the layout
 * Gemm reads with transB.
 */
import { int } from '../../onnx/graph-builder.js';
import { canonicalAxis, sizeOf, type LayerHandler } from '../caffe-context.js';

export const innerProduct: LayerHandler = (layer, ctx) => {
  const param = layer.message.message('inner_product_param');
  const input = ctx.bottom(layer);
  const outputs = param.number('num_output');
  if (outputs === undefined) throw ctx.layerError(layer, 'has no num_output');
  const axis = canonicalAxis(param.number('axis', 1), input.shape.length);
  if (axis !== 1) throw ctx.layerError(layer, `uses axis ${axis}; only axis 1 is supported`);
  const biasTerm = param.boolean('bias_term', true);
  const transpose = param.boolean('transpose', false);
  const blobs = ctx.layerBlobs(layer, biasTerm ? 2 : 1);
  const inputs = sizeOf(input.shape.slice(1));
  if (blobs[0]!.data.length !== inputs * outputs) {
    throw ctx.layerError(layer, `expects ${outputs}x${inputs} weights for its ${inputs} inputs but the caffemodel has [${blobs[0]!.shape.join(', ')}]`);
  }
  const b = ctx.builder;
  const flat = input.shape.length === 2 ? ctx.name(input) : b.op('Flatten', [ctx.name(input)], { axis: int(1) }, `${layer.name}_flatten`);
  const weights = b.constant(`${layer.name}_weights`, blobs[0]!.data, transpose ? [inputs, outputs] : [outputs, inputs]);
  const gemmInputs = [flat, weights];
  if (biasTerm) gemmInputs.push(b.constant(`${layer.name}_bias`, blobs[1]!.data, [outputs]));
  const name = b.op('Gemm', gemmInputs, { transB: int(transpose ? 0 : 1) }, layer.name);
  return [{ name, shape: [input.shape[0]!, outputs] }];
};
