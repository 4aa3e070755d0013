/**
 * Ops that move data without computing on it: Reshape, Squeeze,
 * ExpandDims, ConcatV2, Pack, Transpose, Identity, Cast, Shape. They work
 * in TF layout, except Transpose / ConcatV2 which can absorb an NCHW input.
 */
import { int, ints, type Attribute } from '../../onnx/graph-builder.js';
import { computed, nchwAxis, NCHW_TO_NHWC, type ConversionContext, type Value, type ValueType } from '../conversion-context.js';
import { attrInt, attrInts, attrType } from '../attributes.js';
import type { TfNode } from '../model-json.js';
import type { OpHandler, OpTable } from '../op-handler.js';

const TF_TYPES: Record<string, { value: ValueType; onnx: number }> = {
  DT_FLOAT: { value: 'float32', onnx: 1 },
  DT_INT32: { value: 'int32', onnx: 6 },
  DT_INT64: { value: 'int64', onnx: 7 },
  DT_BOOL: { value: 'bool', onnx: 9 },
};

/** The converter's type for a TF dtype name, with a clear error for the rest. */
export function valueTypeOf(ctx: ConversionContext, node: TfNode, tfType: string): { value: ValueType; onnx: number } {
  const type = TF_TYPES[tfType];
  if (!type) throw new Error(`Unsupported dtype ${tfType} in node "${node.name}" (${node.op}) of ${ctx.source}`);
  return type;
}

function normalizeAxis(axis: number, rank: number | undefined, ctx: ConversionContext, node: TfNode): number {
  if (axis >= 0) return axis;
  if (rank === undefined) throw new Error(`Node "${node.name}" (${node.op}) of ${ctx.source} has a negative axis on a tensor of unknown rank`);
  return axis + rank;
}

const identity: OpHandler = (node, ctx) => [ctx.inputs(node)[0]!];

const reshape: OpHandler = (node, ctx) => {
  const [x, shape] = ctx.inputs(node) as [Value, Value];
  const dims = shape.constant ? Array.from(shape.constant.data) : undefined;
  // ONNX reads 0 as "copy this dim" unless allowzero is set; TF means an empty dim.
  const attributes: Record<string, Attribute> = dims?.includes(0) ? { allowzero: int(1) } : {};
  const y = ctx.builder.op('Reshape', [ctx.tf(x), ctx.int64(shape)], attributes, node.name);
  return [computed(x.dtype, dims?.length ?? shape.constant?.shape[0], y)];
};

const squeeze: OpHandler = (node, ctx) => {
  const [x] = ctx.inputs(node) as [Value];
  const axes = attrInts(node, 'squeeze_dims').concat(attrInts(node, 'axis'));
  const inputs = [ctx.tf(x)];
  if (axes.length > 0) inputs.push(ctx.builder.int64s(axes));
  const rank = axes.length > 0 && x.rank !== undefined ? x.rank - axes.length : undefined;
  return [computed(x.dtype, rank, ctx.builder.op('Squeeze', inputs, {}, node.name))];
};

const expandDims: OpHandler = (node, ctx) => {
  const [x] = ctx.inputs(node) as [Value];
  const rank = x.rank === undefined ? undefined : x.rank + 1;
  const axis = normalizeAxis(ctx.constantInput(node, 1).data[0]!, rank, ctx, node);
  const y = ctx.builder.op('Unsqueeze', [ctx.tf(x), ctx.builder.int64s([axis])], {}, node.name);
  return [computed(x.dtype, rank, y)];
};

const concat: OpHandler = (node, ctx) => {
  const all = ctx.inputs(node);
  const parts = all.slice(0, -1);
  const rank = parts[0]!.rank;
  const axis = normalizeAxis(ctx.constantInput(node, all.length - 1).data[0]!, rank, ctx, node);
  // Channel concats of conv outputs stay in NCHW.
  const nchw = parts.every((v) => v.rank === 4) && parts.some((v) => ctx.isNchw(v));
  const names = parts.map((v) => (nchw ? ctx.nchw(v) : ctx.tf(v)));
  const y = ctx.builder.op('Concat', names, { axis: int(nchw ? nchwAxis(axis) : axis) }, node.name);
  return [computed(parts[0]!.dtype, rank, y, nchw ? 'nchw' : 'tf')];
};

const pack: OpHandler = (node, ctx) => {
  const parts = ctx.inputs(node);
  const rank = parts[0]!.rank === undefined ? undefined : parts[0]!.rank + 1;
  const axis = normalizeAxis(attrInt(node, 'axis', 0), rank, ctx, node);
  const axes = ctx.builder.int64s([axis]);
  const expanded = parts.map((v) => ctx.builder.op('Unsqueeze', [ctx.tf(v), axes]));
  const y = expanded.length === 1 ? expanded[0]! : ctx.builder.op('Concat', expanded, { axis: int(axis) }, node.name);
  return [computed(parts[0]!.dtype, rank, y)];
};

const transpose: OpHandler = (node, ctx) => {
  const [x] = ctx.inputs(node) as [Value];
  const perm = Array.from(ctx.constantInput(node, 1).data);
  if (x.rank === 4 && ctx.isNchw(x)) {
    // Compose with the NCHW->NHWC move so one Transpose reads the NCHW copy directly.
    const composed = perm.map((p) => NCHW_TO_NHWC[p]!);
    return [computed(x.dtype, 4, ctx.builder.op('Transpose', [ctx.nchw(x)], { perm: ints(composed) }, node.name))];
  }
  return [computed(x.dtype, perm.length, ctx.builder.op('Transpose', [ctx.tf(x)], { perm: ints(perm) }, node.name))];
};

const cast: OpHandler = (node, ctx) => {
  const [x] = ctx.inputs(node) as [Value];
  const to = valueTypeOf(ctx, node, attrType(node, 'DstT'));
  const layout = x.rank === 4 && ctx.isNchw(x) ? 'nchw' : 'tf';
  const input = layout === 'nchw' ? ctx.nchw(x) : ctx.tf(x);
  return [computed(to.value, x.rank, ctx.builder.op('Cast', [input], { to: int(to.onnx) }, node.name), layout)];
};

const shape: OpHandler = (node, ctx) => {
  const [x] = ctx.inputs(node) as [Value];
  const to = valueTypeOf(ctx, node, attrType(node, 'out_type', 'DT_INT32'));
  const dims = ctx.builder.op('Shape', [ctx.tf(x)], {}, `${node.name}/int64`);
  const y = to.value === 'int64' ? dims : ctx.builder.op('Cast', [dims], { to: int(to.onnx) }, node.name);
  return [computed(to.value, 1, y)];
};

export const shapeOps: OpTable = {
  Identity: identity,
  StopGradient: identity,
  Snapshot: identity,
  Reshape: reshape,
  Squeeze: squeeze,
  ExpandDims: expandDims,
  ConcatV2: concat,
  Pack: pack,
  Transpose: transpose,
  Cast: cast,
  Shape: shape,
};
