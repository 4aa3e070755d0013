/** MaxPool and AvgPool, computed in NCHW. */
import { int, ints, type Attribute } from '../../onnx/graph-builder.js';
import { computed, type ConversionContext, type Value } from '../conversion-context.js';
import { attrInts } from '../attributes.js';
import type { TfNode } from '../model-json.js';
import type { OpTable } from '../op-handler.js';
import { windowAttributes } from './spatial-attributes.js';

function pooling(onnxOp: 'MaxPool' | 'AveragePool') {
  return (node: TfNode, ctx: ConversionContext): Value[] => {
    const [x] = ctx.inputs(node);
    const ksize = attrInts(node, 'ksize');
    if (ksize.length !== 4 || ksize[0] !== 1 || ksize[3] !== 1) {
      throw new Error(`Node "${node.name}" (${node.op}) of ${ctx.source} pools over batch or channels (ksize [${ksize.join(', ')}])`);
    }
    const attributes: Record<string, Attribute> = { ...windowAttributes(ctx, node, false), kernel_shape: ints([ksize[1]!, ksize[2]!]) };
    // TF averages over the valid (unpadded) cells only, as ONNX does with count_include_pad = 0.
    if (onnxOp === 'AveragePool') attributes.count_include_pad = int(0);
    const y = ctx.builder.op(onnxOp, [ctx.nchw(x!)], attributes, node.name);
    return [computed('float32', 4, y, 'nchw')];
  };
}

export const poolOps: OpTable = {
  MaxPool: pooling('MaxPool'),
  AvgPool: pooling('AveragePool'),
};
