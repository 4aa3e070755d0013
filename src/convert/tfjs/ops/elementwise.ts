/**
 * Elementwise ops. They work in any layout, so they keep NCHW when an
 * input already has it (a conv output) and broadcast the other operand to
 * match; that is what lets conv -> add -> relu chains run without Transposes.
 */
import { computed, type ConversionContext, type Value } from '../conversion-context.js';
import type { TfNode } from '../model-json.js';
import type { OpHandler, OpTable } from '../op-handler.js';
import { applyActivation } from './fused-activation.js';

/** NCHW when some input already is and every other operand can be broadcast to it. */
function sharedLayout(ctx: ConversionContext, inputs: readonly Value[]): 'tf' | 'nchw' {
  const anyNchw = inputs.some((v) => v.rank === 4 && ctx.isNchw(v));
  const allFit = inputs.every((v) => v.rank === 4 || v.rank === 0 || (v.constant !== undefined && v.constant.shape.length <= 4));
  return anyNchw && allFit ? 'nchw' : 'tf';
}

function maxRank(inputs: readonly Value[]): number | undefined {
  let rank = 0;
  for (const v of inputs) {
    if (v.rank === undefined) return undefined;
    rank = Math.max(rank, v.rank);
  }
  return rank;
}

/** A handler that feeds the layout-matched inputs to `build` and returns one value. */
function layoutAgnostic(build: (ctx: ConversionContext, node: TfNode, names: string[], layout: 'tf' | 'nchw') => string): OpHandler {
  return (node, ctx) => {
    const inputs = ctx.inputs(node);
    const layout = sharedLayout(ctx, inputs);
    const names = inputs.map((v) => ctx.broadcastOperand(v, layout));
    const rank = maxRank(inputs);
    const y = build(ctx, node, names, layout);
    return [computed(inputs[0]!.dtype, rank, y, layout === 'nchw' && rank === 4 ? 'nchw' : 'tf')];
  };
}

const binary = (onnxOp: string): OpHandler => layoutAgnostic((ctx, node, [a, b]) => ctx.builder.op(onnxOp, [a!, b!], {}, node.name));

const unary = (onnxOp: string): OpHandler => layoutAgnostic((ctx, node, [x]) => ctx.builder.op(onnxOp, [x!], {}, node.name));

const activation = (name: string): OpHandler =>
  layoutAgnostic((ctx, node, [x, alpha], layout) =>
    name === 'Prelu' ? ctx.builder.op('PRelu', [x!, alpha!], {}, node.name) : applyActivation(ctx, node, name, x!, layout),
  );


export const elementwiseOps: OpTable = {
  Add: binary('Add'),
  AddV2: binary('Add'),
  // BiasAdd adds a [C] vector along the last TF axis, which is plain trailing broadcasting.
  BiasAdd: binary('Add'),
  Sub: binary('Sub'),
  Mul: binary('Mul'),
  RealDiv: binary('Div'),
  Div: binary('Div'),
  DivNoNan: layoutAgnostic((ctx, node, [a, b]) => {
    // TF returns 0 where the divisor is 0 instead of inf/nan.
    const g = ctx.builder;
    const zero = g.op('Equal', [b!, g.floats32([0])]);
    const safe = g.op('Where', [zero, g.floats32([1]), b!]);
    return g.op('Where', [zero, g.floats32([0]), g.op('Div', [a!, safe])], {}, node.name);
  }),
  Maximum: binary('Max'),
  Minimum: binary('Min'),
  Pow: binary('Pow'),
  SquaredDifference: layoutAgnostic((ctx, node, [a, b]) => {
    const d = ctx.builder.op('Sub', [a!, b!]);
    return ctx.builder.op('Mul', [d, d], {}, node.name);
  }),
  Relu: activation('Relu'),
  Relu6: activation('Relu6'),
  Elu: activation('Elu'),
  Selu: activation('Selu'),
  LeakyRelu: activation('LeakyRelu'),
  Prelu: activation('Prelu'),
  Sigmoid: unary('Sigmoid'),
  Tanh: unary('Tanh'),
  Exp: unary('Exp'),
  Log: unary('Log'),
  Sqrt: unary('Sqrt'),
  Rsqrt: layoutAgnostic((ctx, node, [x]) => ctx.builder.op('Reciprocal', [ctx.builder.op('Sqrt', [x!])], {}, node.name)),
  Reciprocal: unary('Reciprocal'),
  Square: layoutAgnostic((ctx, node, [x]) => ctx.builder.op('Mul', [x!, x!], {}, node.name)),
  Neg: unary('Neg'),
  Abs: unary('Abs'),
  Floor: unary('Floor'),
  Ceil: unary('Ceil'),
  Round: unary('Round'),
  Sign: unary('Sign'),
  Softplus: unary('Softplus'),
  Erf: unary('Erf'),
  Sin: unary('Sin'),
  Cos: unary('Cos'),
  // Max/Min rather than Clip: TF's bounds may be tensors, ONNX Clip's must be scalars.
  ClipByValue: layoutAgnostic((ctx, node, [x, lo, hi]) => ctx.builder.op('Max', [ctx.builder.op('Min', [x!, hi!]), lo!], {}, node.name)),
};
