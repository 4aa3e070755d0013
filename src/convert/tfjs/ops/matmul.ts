/**
 * MatMul, BatchMatMul and _FusedMatMul (BiasAdd + activation). 2-D
 * products become one Gemm (transposes and bias included); higher ranks use
 * MatMul with an explicit Transpose, which ORT folds for constant operands.
 */
import { int } from '../../onnx/graph-builder.js';
import { computed, type ConversionContext, type Value } from '../conversion-context.js';
import { attrBool, attrStrings } from '../attributes.js';
import type { TfNode } from '../model-json.js';
import type { OpTable } from '../op-handler.js';
import { applyActivation, parseFusedOps } from './fused-activation.js';

/** Swaps the last two axes of `value` (at run time, or on a constant for free). */
function swapLastAxes(ctx: ConversionContext, value: Value): string {
  const rank = value.rank;
  if (rank === undefined || rank < 2) throw new Error(`Cannot transpose a matmul operand of rank ${rank ?? 'unknown'} in ${ctx.source}`);
  const perm = [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
  return ctx.builder.op('Transpose', [ctx.tf(value)], { perm: { kind: 'ints', value: perm } });
}

function matmul(fused: boolean, adjointNames: [string, string]) {
  return (node: TfNode, ctx: ConversionContext): Value[] => {
    const inputs = ctx.inputs(node);
    const [a, b] = inputs as [Value, Value];
    const transA = attrBool(node, adjointNames[0]);
    const transB = attrBool(node, adjointNames[1]);
    const { bias, activation } = fused ? parseFusedOps(ctx, node, attrStrings(node, 'fused_ops')) : { bias: false, activation: undefined };
    const rank = a.rank !== undefined && b.rank !== undefined ? Math.max(a.rank, b.rank) : undefined;
    const g = ctx.builder;
    let y: string;
    if (a.rank === 2 && b.rank === 2) {
      const gemmInputs = [ctx.tf(a), ctx.tf(b)];
      if (bias) gemmInputs.push(ctx.tf(inputs[2]!));
      y = g.op('Gemm', gemmInputs, { transA: int(transA ? 1 : 0), transB: int(transB ? 1 : 0) }, node.name);
    } else {
      const left = transA ? swapLastAxes(ctx, a) : ctx.tf(a);
      const right = transB ? swapLastAxes(ctx, b) : ctx.tf(b);
      y = g.op('MatMul', [left, right], {}, node.name);
      if (bias) y = g.op('Add', [y, ctx.tf(inputs[2]!)], {}, `${node.name}/bias`);
    }
    if (activation) y = applyActivation(ctx, node, activation, y, 'tf', inputs[bias ? 3 : 2]);
    return [computed('float32', rank, y)];
  };
}

export const matmulOps: OpTable = {
  MatMul: matmul(false, ['transpose_a', 'transpose_b']),
  _FusedMatMul: matmul(true, ['transpose_a', 'transpose_b']),
  BatchMatMul: matmul(false, ['adj_x', 'adj_y']),
  BatchMatMulV2: matmul(false, ['adj_x', 'adj_y']),
};
