/**
 * Reductions (Mean, Sum, Max, Min, Prod) over constant axes. A global
 * pool over H and W of an NCHW tensor is reduced in place, without going
 * back to NHWC, whenever the remaining axes keep TF's order.
 */
import { int, ints } from '../../onnx/graph-builder.js';
import { computed, nchwAxis, type ConversionContext, type Value } from '../conversion-context.js';
import { attrBool } from '../attributes.js';
import type { TfNode } from '../model-json.js';
import type { OpTable } from '../op-handler.js';

/** True when dropping `axes` (TF order) from NCHW leaves the others in TF order. */
function orderSurvives(axes: readonly number[]): boolean {
  const kept = [0, 1, 2, 3].filter((a) => !axes.includes(a));
  return !(kept.includes(3) && (kept.includes(1) || kept.includes(2)));
}

function reduction(onnxOp: string) {
  return (node: TfNode, ctx: ConversionContext): Value[] => {
    const [x] = ctx.inputs(node);
    const rank = x!.rank;
    if (rank === undefined) throw new Error(`Node "${node.name}" (${node.op}) of ${ctx.source} reduces a tensor of unknown rank`);
    const raw = Array.from(ctx.constantInput(node, 1).data);
    const axes = [...new Set(raw.map((a) => (a < 0 ? a + rank : a)))].sort();
    const keepDims = attrBool(node, 'keep_dims');
    const nchw = rank === 4 && ctx.isNchw(x!) && (keepDims || orderSurvives(axes));
    const input = nchw ? ctx.nchw(x!) : ctx.tf(x!);
    const onnxAxes = nchw ? axes.map(nchwAxis).sort() : axes;
    const y = reduce(ctx, onnxOp, input, onnxAxes, keepDims, node.name);
    const outRank = keepDims ? rank : rank - axes.length;
    return [computed(x!.dtype, outRank, y, nchw && keepDims ? 'nchw' : 'tf')];
  };
}

/** Opset 17: ReduceSum takes axes as an input, the other reductions as an attribute. */
function reduce(ctx: ConversionContext, onnxOp: string, input: string, axes: number[], keepDims: boolean, hint: string): string {
  const keep = int(keepDims ? 1 : 0);
  if (onnxOp === 'ReduceSum') return ctx.builder.op(onnxOp, [input, ctx.builder.int64s(axes)], { keepdims: keep }, hint);
  return ctx.builder.op(onnxOp, [input], { axes: ints(axes), keepdims: keep }, hint);
}

export const reduceOps: OpTable = {
  Mean: reduction('ReduceMean'),
  Sum: reduction('ReduceSum'),
  Max: reduction('ReduceMax'),
  Min: reduction('ReduceMin'),
  Prod: reduction('ReduceProd'),
};
