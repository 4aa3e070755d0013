/**
 * Softmax and LogSoftmax, over TF's last axis. On an NCHW tensor that axis
 * is ONNX axis 1 (opset 13+ normalises along one axis only), so no Transpose.
 */
import { int } from '../../onnx/graph-builder.js';
import { computed, type ConversionContext, type Value } from '../conversion-context.js';
import type { TfNode } from '../model-json.js';
import type { OpTable } from '../op-handler.js';

function softmax(onnxOp: 'Softmax' | 'LogSoftmax') {
  return (node: TfNode, ctx: ConversionContext): Value[] => {
    const [x] = ctx.inputs(node) as [Value];
    const nchw = x.rank === 4 && ctx.isNchw(x);
    const y = ctx.builder.op(onnxOp, [nchw ? ctx.nchw(x) : ctx.tf(x)], { axis: int(nchw ? 1 : -1) }, node.name);
    return [computed(x.dtype, x.rank, y, nchw ? 'nchw' : 'tf')];
  };
}

export const softmaxOps: OpTable = {
  Softmax: softmax('Softmax'),
  LogSoftmax: softmax('LogSoftmax'),
};
