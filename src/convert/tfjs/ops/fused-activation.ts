/**
 * The activations TF's grappler folds into _FusedConv2D / _FusedMatMul /
 * _FusedDepthwiseConv2dNative (`fused_ops: ['BiasAdd', 'Relu']` etc.),
 * also used for the stand-alone activation ops.
 */
import { float } from '../../onnx/graph-builder.js';
import type { ConversionContext, Value } from '../conversion-context.js';
import { attrFloat } from '../attributes.js';
import type { TfNode } from '../model-json.js';

/** Activation names that may follow BiasAdd in `fused_ops`. */
export const FUSED_ACTIVATIONS = ['Relu', 'Relu6', 'Elu', 'Selu', 'LeakyRelu', 'Prelu', 'Sigmoid', 'Tanh'] as const;

/**
 * Applies TF activation `activation` to ONNX tensor `x` kept in `layout`.
 * `alpha` is Prelu's slope tensor; LeakyRelu reads `leakyrelu_alpha` (fused) or `alpha` from `node`.
 */
export function applyActivation(
  ctx: ConversionContext,
  node: TfNode,
  activation: string,
  x: string,
  layout: 'tf' | 'nchw',
  alpha?: Value,
): string {
  const g = ctx.builder;
  const hint = `${node.name}/${activation}`;
  switch (activation) {
    case 'Relu':
    case 'Elu':
    case 'Selu':
    case 'Sigmoid':
    case 'Tanh':
      return g.op(activation, [x], {}, hint);
    case 'Relu6':
      return g.op('Clip', [x, g.floats32([0]), g.floats32([6])], {}, hint);
    case 'LeakyRelu': {
      const slope = node.attr?.leakyrelu_alpha ? attrFloat(node, 'leakyrelu_alpha') : attrFloat(node, 'alpha', 0.2);
      return g.op('LeakyRelu', [x], { alpha: float(slope) }, hint);
    }
    case 'Prelu': {
      if (!alpha) throw new Error(`Node "${node.name}" fuses Prelu but has no alpha input (${ctx.source})`);
      return g.op('PRelu', [x, ctx.broadcastOperand(alpha, layout)], {}, hint);
    }
    default:
      throw new Error(`Unsupported fused activation "${activation}" in node "${node.name}" of ${ctx.source}`);
  }
}

/** Splits `fused_ops` into the BiasAdd flag and the optional activation, rejecting other fusions. */
export function parseFusedOps(ctx: ConversionContext, node: TfNode, fusedOps: readonly string[]): { bias: boolean; activation?: string } {
  const [first, second, ...rest] = fusedOps;
  const bias = first === 'BiasAdd';
  const activation = bias ? second : first;
  const extra = bias ? rest : second === undefined ? [] : [second, ...rest];
  const known = activation === undefined || (FUSED_ACTIVATIONS as readonly string[]).includes(activation);
  if (extra.length > 0 || !known) {
    throw new Error(`Unsupported fused_ops [${fusedOps.join(', ')}] in node "${node.name}" (${node.op}) of ${ctx.source}`);
  }
  return { bias, activation };
}
