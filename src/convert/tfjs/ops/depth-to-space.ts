/**
 * DepthToSpace / SpaceToDepth in NHWC. TF's channel order for
 * DepthToSpace, (i * block + j) * C_out + c, is ONNX's DCR mode.
 */
import { int, str } from '../../onnx/graph-builder.js';
import { computed, type ConversionContext, type Value } from '../conversion-context.js';
import { attrInt } from '../attributes.js';
import type { TfNode } from '../model-json.js';
import type { OpTable } from '../op-handler.js';
import { requireNhwc } from './spatial-attributes.js';

function blockRearrange(onnxOp: 'DepthToSpace' | 'SpaceToDepth') {
  return (node: TfNode, ctx: ConversionContext): Value[] => {
    requireNhwc(ctx, node);
    const [x] = ctx.inputs(node) as [Value];
    const attributes = { blocksize: int(attrInt(node, 'block_size')), ...(onnxOp === 'DepthToSpace' ? { mode: str('DCR') } : {}) };
    const y = ctx.builder.op(onnxOp, [ctx.nchw(x)], attributes, node.name);
    return [computed(x.dtype, 4, y, 'nchw')];
  };
}

export const depthToSpaceOps: OpTable = {
  DepthToSpace: blockRearrange('DepthToSpace'),
  SpaceToDepth: blockRearrange('SpaceToDepth'),
};
