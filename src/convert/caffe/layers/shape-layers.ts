/**
 * Layers that only move values: Concat, Flatten, Permute, Reshape. Concat,
 * Flatten and Reshape of values known at conversion (PriorBox outputs) stay
 * constants, so the SSD prior boxes reach the post-processing as one table.
 */
import { int, ints } from '../../onnx/graph-builder.js';
import { canonicalAxis, sizeOf, type BlobTensor, type LayerHandler } from '../caffe-context.js';

/** Concatenates constants along `axis` (row-major blocks). */
function concatConstants(parts: readonly BlobTensor[], axis: number, shape: number[]): Float32Array {
  const out = new Float32Array(sizeOf(shape));
  const outer = sizeOf(shape.slice(0, axis));
  let offset = 0;
  for (let o = 0; o < outer; o++) {
    for (const part of parts) {
      const block = sizeOf(part.shape.slice(axis));
      out.set(part.constant!.subarray(o * block, (o + 1) * block), offset);
      offset += block;
    }
  }
  return out;
}

export const concat: LayerHandler = (layer, ctx) => {
  const param = layer.message.message('concat_param');
  const inputs = layer.bottoms.map((_, i) => ctx.bottom(layer, i));
  const rank = inputs[0]!.shape.length;
  // `concat_dim` is the V1 spelling of `axis`.
  const axis = canonicalAxis(param.number('axis', param.number('concat_dim', 1)), rank);
  const shape = [...inputs[0]!.shape];
  shape[axis] = inputs.reduce((sum, t) => sum + t.shape[axis]!, 0);
  for (const t of inputs) {
    if (t.shape.length !== rank || t.shape.some((d, k) => k !== axis && d !== inputs[0]!.shape[k])) {
      throw ctx.layerError(layer, `cannot concatenate shapes ${inputs.map((i) => `[${i.shape.join(', ')}]`).join(' and ')} along axis ${axis}`);
    }
  }
  if (inputs.every((t) => t.constant)) return [{ shape, constant: concatConstants(inputs, axis, shape) }];
  const name = ctx.builder.op('Concat', inputs.map((t) => ctx.name(t)), { axis: int(axis) }, layer.name);
  return [{ name, shape }];
};

export const flatten: LayerHandler = (layer, ctx) => {
  const input = ctx.bottom(layer);
  const param = layer.message.message('flatten_param');
  const rank = input.shape.length;
  const axis = canonicalAxis(param.number('axis', 1), rank);
  const end = canonicalAxis(param.number('end_axis', -1), rank);
  const shape = [...input.shape.slice(0, axis), sizeOf(input.shape.slice(axis, end + 1)), ...input.shape.slice(end + 1)];
  if (input.constant) return [{ shape, constant: input.constant }];
  const b = ctx.builder;
  const name =
    axis === 1 && end === rank - 1
      ? b.op('Flatten', [ctx.name(input)], { axis: int(1) }, layer.name)
      : b.op('Reshape', [ctx.name(input), b.int64s([0, ...shape.slice(1)])], {}, layer.name);
  return [{ name, shape }];
};

export const permute: LayerHandler = (layer, ctx) => {
  const input = ctx.bottom(layer);
  const rank = input.shape.length;
  const order = layer.message.message('permute_param').numbers('order');
  // Axes the order leaves out keep their relative order after the given ones.
  for (let axis = 0; axis < rank; axis++) if (!order.includes(axis)) order.push(axis);
  if (order.length !== rank || order.some((a) => a < 0 || a >= rank)) throw ctx.layerError(layer, `has an invalid permute order for rank ${rank}`);
  const name = ctx.builder.op('Transpose', [ctx.name(input)], { perm: ints(order) }, layer.name);
  return [{ name, shape: order.map((a) => input.shape[a]!) }];
};

/** Caffe's reshape: 0 copies the bottom's dimension, -1 is inferred; `axis`/`num_axes` pick the part replaced. */
export const reshape: LayerHandler = (layer, ctx) => {
  const input = ctx.bottom(layer);
  const param = layer.message.message('reshape_param');
  const spec = param.message('shape').numbers('dim');
  const rank = input.shape.length;
  const start = param.number('axis', 0) < 0 ? rank + 1 + param.number('axis', 0) : param.number('axis', 0);
  const numAxes = param.number('num_axes', -1);
  const end = numAxes === -1 ? rank : start + numAxes;
  const middle = spec.map((d, i) => (d === 0 ? input.shape[start + i]! : d));
  const known = sizeOf(input.shape.slice(0, start)) * sizeOf(input.shape.slice(end)) * sizeOf(middle.filter((d) => d !== -1));
  const shape = [...input.shape.slice(0, start), ...middle.map((d) => (d === -1 ? sizeOf(input.shape) / known : d)), ...input.shape.slice(end)];
  if (sizeOf(shape) !== sizeOf(input.shape) || !shape.every(Number.isInteger)) {
    throw ctx.layerError(layer, `cannot reshape [${input.shape.join(', ')}] with dims [${spec.join(', ')}]`);
  }
  if (input.constant) return [{ shape, constant: input.constant }];
  // The batch stays free in ONNX: dimension 0 is copied, not fixed.
  const target = shape.map((d, k) => (k === 0 ? 0 : d));
  return [{ name: ctx.builder.op('Reshape', [ctx.name(input), ctx.builder.int64s(target)], {}, layer.name), shape }];
};
