/**
 * StridedSlice and Slice with constant bounds. StridedSlice's masks are
 * resolved at conversion time into one ONNX Slice plus Squeeze (shrink
 * axes) and Unsqueeze (new axes).
 */
import { computed, type ConversionContext, type Value } from '../conversion-context.js';
import { attrInt } from '../attributes.js';
import type { OpHandler, OpTable } from '../op-handler.js';

// ONNX clamps out-of-range Slice bounds, so these stand for "to the end".
const TO_END = 2 ** 31 - 1;
const TO_START = -(2 ** 31);

interface SlicePlan {
  starts: number[];
  ends: number[];
  axes: number[];
  steps: number[];
  /** Input axes removed by shrink_axis_mask. */
  squeeze: number[];
  /** Output axes inserted by new_axis_mask. */
  unsqueeze: number[];
}

/** Walks the slice spec, expanding the ellipsis, and records what each input axis gets. */
export function planStridedSlice(begin: number[], end: number[], strides: number[], masks: Record<string, number>, rank: number): SlicePlan {
  const plan: SlicePlan = { starts: [], ends: [], axes: [], steps: [], squeeze: [], unsqueeze: [] };
  const bit = (mask: string, i: number) => ((masks[mask] ?? 0) >> i) & 1;
  const specAxes = begin.length - [...begin.keys()].filter((i) => bit('new_axis_mask', i) || bit('ellipsis_mask', i)).length;
  let inputAxis = 0;
  let outputAxis = 0;
  for (let i = 0; i < begin.length; i++) {
    if (bit('ellipsis_mask', i)) {
      const covered = rank - specAxes;
      inputAxis += covered;
      outputAxis += covered;
    } else if (bit('new_axis_mask', i)) {
      plan.unsqueeze.push(outputAxis++);
    } else if (bit('shrink_axis_mask', i)) {
      const start = begin[i]!;
      plan.starts.push(start);
      plan.ends.push(start === -1 ? TO_END : start + 1);
      plan.axes.push(inputAxis);
      plan.steps.push(1);
      plan.squeeze.push(inputAxis++);
    } else {
      const step = strides[i] ?? 1;
      plan.starts.push(bit('begin_mask', i) ? (step > 0 ? 0 : TO_END) : begin[i]!);
      plan.ends.push(bit('end_mask', i) ? (step > 0 ? TO_END : TO_START) : end[i]!);
      plan.axes.push(inputAxis++);
      plan.steps.push(step);
      outputAxis++;
    }
  }
  return plan;
}

const stridedSlice: OpHandler = (node, ctx) => {
  const [x] = ctx.inputs(node) as [Value];
  if (x.rank === undefined) throw new Error(`Node "${node.name}" (StridedSlice) of ${ctx.source} slices a tensor of unknown rank`);
  const [begin, end, strides] = [1, 2, 3].map((i) => Array.from(ctx.constantInput(node, i).data)) as [number[], number[], number[]];
  const masks = Object.fromEntries(
    ['begin_mask', 'end_mask', 'ellipsis_mask', 'new_axis_mask', 'shrink_axis_mask'].map((m) => [m, attrInt(node, m, 0)]),
  );
  const plan = planStridedSlice(begin, end, strides, masks, x.rank);
  const g = ctx.builder;
  let y = ctx.tf(x);
  if (plan.axes.length > 0) {
    y = g.op('Slice', [y, g.int64s(plan.starts), g.int64s(plan.ends), g.int64s(plan.axes), g.int64s(plan.steps)], {}, `${node.name}/slice`);
  }
  if (plan.squeeze.length > 0) y = g.op('Squeeze', [y, g.int64s(plan.squeeze)], {}, `${node.name}/shrink`);
  if (plan.unsqueeze.length > 0) y = g.op('Unsqueeze', [y, g.int64s(plan.unsqueeze)], {}, `${node.name}/new_axis`);
  return [computed(x.dtype, x.rank - plan.squeeze.length + plan.unsqueeze.length, y)];
};

/** Slice(begin, size) where size -1 means "to the end". */
const slice: OpHandler = (node, ctx: ConversionContext) => {
  const [x] = ctx.inputs(node) as [Value];
  const begin = Array.from(ctx.constantInput(node, 1).data);
  const size = Array.from(ctx.constantInput(node, 2).data);
  const ends = size.map((s, i) => (s === -1 ? TO_END : begin[i]! + s));
  const axes = begin.map((_, i) => i);
  const g = ctx.builder;
  const y = g.op('Slice', [ctx.tf(x), g.int64s(begin), g.int64s(ends), g.int64s(axes)], {}, node.name);
  return [computed(x.dtype, x.rank, y)];
};

export const sliceOps: OpTable = {
  StridedSlice: stridedSlice,
  Slice: slice,
};
