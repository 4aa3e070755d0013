/**
 * DepthToSpace in NHWC. TF's channel order, (i * block + j) * C_out + c,
 * is ONNX's DCR mode. (tfjs has no SpaceToDepth, so neither do we.)
 */
import { int, str } from '../../onnx/graph-builder.js';
import { computed, type ConversionContext, type Value } from '../conversion-context.js';
import { attrInt } from '../attributes.js';
import type { TfNode } from '../model-json.js';
import type { OpTable } from '../op-handler.js';
import { requireNhwc } from './spatial-attributes.js';

function depthToSpace(node: TfNode, ctx: ConversionContext): Value[] {
  requireNhwc(ctx, node);
  const [x] = ctx.inputs(node) as [Value];
  const attributes = { blocksize: int(attrInt(node, 'block_size')), mode: str('DCR') };
  return [computed(x.dtype, 4, ctx.builder.op('DepthToSpace', [ctx.nchw(x)], attributes, node.name), 'nchw')];
}

export const depthToSpaceOps: OpTable = { DepthToSpace: depthToSpace };
