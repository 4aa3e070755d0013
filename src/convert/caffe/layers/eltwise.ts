/** Caffe Eltwise: SUM (with optional coefficients), PROD or MAX of its bottoms. */
import type { LayerHandler } from '../caffe-context.js';

const OPERATIONS: Readonly<Record<string, string>> = { SUM: 'Sum', PROD: 'Mul', MAX: 'Max' };

export const eltwise: LayerHandler = (layer, ctx) => {
  const param = layer.message.message('eltwise_param');
  const operation = param.string('operation', 'SUM');
  const op = OPERATIONS[operation];
  if (!op) throw ctx.layerError(layer, `uses operation ${operation}; should be one of: ${Object.keys(OPERATIONS).join(', ')}`);
  const inputs = layer.bottoms.map((_, i) => ctx.bottom(layer, i));
  if (inputs.some((t) => t.shape.join() !== inputs[0]!.shape.join())) throw ctx.layerError(layer, 'has bottoms of different shapes');
  const coefficients = param.numbers('coeff');
  if (coefficients.length > 0 && (operation !== 'SUM' || coefficients.length !== inputs.length)) {
    throw ctx.layerError(layer, 'gives coeff values, which need operation SUM and one value per bottom');
  }
  const b = ctx.builder;
  const names = inputs.map((t, i) => {
    const c = coefficients[i] ?? 1;
    return c === 1 ? ctx.name(t) : b.op('Mul', [ctx.name(t), b.floats32([c])], {}, `${layer.name}_coeff${i}`);
  });
  const name = op === 'Mul' ? names.slice(1).reduce((acc, n) => b.op('Mul', [acc, n]), names[0]!) : b.op(op, names, {}, layer.name);
  return [{ name, shape: inputs[0]!.shape }];
};
