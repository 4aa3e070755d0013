/**
 * Pad, PadV2 and MirrorPad with constant paddings. Pads of an NCHW tensor
 * (channel padding in BlazeFace's residual blocks) are permuted instead of
 * moving the tensor back to NHWC.
 */
import { str } from '../../onnx/graph-builder.js';
import { computed, NHWC_TO_NCHW, type ConversionContext, type Value } from '../conversion-context.js';
import { attrString } from '../attributes.js';
import type { TfNode } from '../model-json.js';
import type { OpTable } from '../op-handler.js';

function padding(mirror: boolean) {
  return (node: TfNode, ctx: ConversionContext): Value[] => {
    const inputs = ctx.inputs(node);
    const x = inputs[0]!;
    const pairs = ctx.constantInput(node, 1).data; // [rank, 2]: before/after per TF axis
    const rank = pairs.length / 2;
    const nchw = rank === 4 && ctx.isNchw(x);
    const order = nchw ? [...NHWC_TO_NCHW] : Array.from({ length: rank }, (_, i) => i);
    const pads = [...order.map((a) => pairs[2 * a]!), ...order.map((a) => pairs[2 * a + 1]!)];
    const g = ctx.builder;
    const padInputs = [nchw ? ctx.nchw(x) : ctx.tf(x), g.int64s(pads)];
    let mode = 'constant';
    if (mirror) {
      mode = attrString(node, 'mode').toLowerCase();
      // ONNX "reflect" is TF REFLECT; TF SYMMETRIC (edge repeated) has no ONNX mode.
      if (mode !== 'reflect') throw new Error(`Unsupported MirrorPad mode "${mode}" in node "${node.name}" of ${ctx.source}`);
    } else if (inputs[2]) {
      padInputs.push(ctx.tf(inputs[2]));
    }
    const y = g.op('Pad', padInputs, { mode: str(mode) }, node.name);
    return [computed(x.dtype, rank, y, nchw ? 'nchw' : 'tf')];
  };
}

export const padOps: OpTable = {
  Pad: padding(false),
  PadV2: padding(false),
  MirrorPad: padding(true),
};
