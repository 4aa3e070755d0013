/**
 * Handlers for the ops of OpenCV's TensorFlow SSD graph description
 * (`opencv_face_detector.pbtxt`) that the TF.js converter does not have:
 * FusedBatchNorm (inference form), SpaceToBatchND / BatchToSpaceND used as
 * a padding pair (block 1), and OpenCV's own Flatten, L2Normalize and
 * PriorBox. Semantics are OpenCV's, which runs this file.
 */
import { ints } from '../onnx/graph-builder.js';
import { computed, transposeConstant, type ConversionContext, type Value } from '../tfjs/conversion-context.js';
import { attrFloat, attrInts } from '../tfjs/attributes.js';
import { nodeNameOf } from '../tfjs/graph-order.js';
import type { TfNode } from '../tfjs/model-json.js';
import { priorBoxes, type PriorBoxSpec } from '../caffe/layers/prior-box.js';
import type { TextMessage } from '../caffe/text-format.js';

/** Spatial [height, width] of the 4-D activations seen so far, by node name. */
export type SpatialSizes = Map<string, [number, number]>;

export interface OpenCvOpContext {
  ctx: ConversionContext;
  sizes: SpatialSizes;
  raw: Map<string, Map<string, TextMessage>>;
  /** SpaceToBatchND nodes with a block above 1: the Conv2D after them is a dilated convolution. */
  dilations: Map<string, { block: number; top: number; left: number }>;
}

type Handler = (node: TfNode, c: OpenCvOpContext) => Value[];

const f = Math.fround;

function constantVector(c: OpenCvOpContext, node: TfNode, index: number): Float32Array {
  const data = c.ctx.constantInput(node, index).data;
  return data instanceof Float32Array ? data : Float32Array.from(data);
}

/** y = (x - mean) / sqrt(variance + eps) * gamma + beta, folded into one scale and shift per channel. */
const fusedBatchNorm: Handler = (node, c) => {
  const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((i) => constantVector(c, node, i)) as Float32Array[];
  const eps = attrFloat(node, 'epsilon', 1e-3);
  const channels = gamma!.length;
  const scale = new Float32Array(channels);
  const shift = new Float32Array(channels);
  for (let k = 0; k < channels; k++) {
    scale[k] = f(gamma![k]! / f(Math.sqrt(f(variance![k]! + eps))));
    shift[k] = f(beta![k]! - f(mean![k]! * scale[k]!));
  }
  const b = c.ctx.builder;
  const x = c.ctx.nchw(c.ctx.inputs(node)[0]!);
  const scaled = b.op('Mul', [x, b.constant(`${node.name}/scale`, scale, [1, channels, 1, 1])]);
  return [computed('float32', 4, b.op('Add', [scaled, b.constant(`${node.name}/shift`, shift, [1, channels, 1, 1])], {}, node.name), 'nchw')];
};

/**
 * SpaceToBatchND -> Conv2D -> BatchToSpaceND is TF's dilated convolution;
 * OpenCV (and this converter) read it as one Conv with dilation = block and
 * the leading paddings on both sides. With a block of 1 it only pads.
 */
const spaceToBatch: Handler = (node, c) => {
  const block = Array.from(c.ctx.constantInput(node, 1).data);
  const [top, bottom, left, right] = Array.from(c.ctx.constantInput(node, 2).data);
  if (block.some((v) => v !== block[0]) || block.length !== 2) throw new Error(`SpaceToBatchND "${node.name}" of ${c.ctx.source} has block shape [${block}]; only equal 2-D blocks are supported`);
  if (block[0] !== 1) {
    c.dilations.set(node.name, { block: block[0]!, top: top!, left: left! });
    return [c.ctx.inputs(node)[0]!];
  }
  const b = c.ctx.builder;
  const x = c.ctx.nchw(c.ctx.inputs(node)[0]!);
  const pads = b.int64s([0, 0, top!, left!, 0, 0, bottom!, right!]);
  return [computed('float32', 4, b.op('Pad', [x, pads], {}, node.name), 'nchw')];
};

/** Closes a padding or dilation pair opened by SpaceToBatchND: the convolution already has the right size. */
const batchToSpace: Handler = (node, c) => [c.ctx.inputs(node)[0]!];

/** OpenCV's Flatten: everything after the batch, in TF (NHWC) order. */
const flatten: Handler = (node, c) => {
  const x = c.ctx.inputs(node)[0]!;
  if (x.rank !== undefined && x.rank <= 2) return [x];
  const b = c.ctx.builder;
  return [computed('float32', 2, b.op('Reshape', [c.ctx.tf(x), b.int64s([0, -1])], {}, node.name))];
};

/** x / sqrt(sum over channels of x^2 + 1e-10): OpenCV maps L2Normalize on the channel axis to its Normalize layer. */
const l2Normalize: Handler = (node, c) => {
  const axes = Array.from(c.ctx.constantInput(node, 1).data);
  if (axes.length !== 1 || (axes[0] !== 3 && axes[0] !== -1)) throw new Error(`L2Normalize "${node.name}" of ${c.ctx.source} is over axes [${axes}]; only the channel axis is supported`);
  const b = c.ctx.builder;
  const x = c.ctx.nchw(c.ctx.inputs(node)[0]!);
  const norm = b.op('Sqrt', [b.op('Add', [b.op('ReduceSumSquare', [x], { axes: ints([1]) }), b.floats32([1e-10])])]);
  return [computed('float32', 4, b.op('Div', [x, norm], {}, node.name), 'nchw')];
};

function rawList(attribute: TextMessage | undefined): number[] {
  if (!attribute) return [];
  if (attribute.has('tensor')) return attribute.message('tensor').numbers('float_val');
  if (attribute.has('f')) return [attribute.number('f', 0)];
  if (attribute.has('i')) return [attribute.number('i', 0)];
  return [];
}

/** OpenCV's PriorBox, computed now: the feature map size is known from the conversion. */
const priorBox: Handler = (node, c) => {
  const raw = c.raw.get(node.name) ?? new Map<string, TextMessage>();
  const [feature, image] = (node.input ?? []).map((ref) => c.sizes.get(ref.split(':')[0]!));
  if (!feature || !image) throw new Error(`PriorBox "${node.name}" of ${c.ctx.source}: the sizes of its inputs are unknown`);
  const step = rawList(raw.get('step'))[0] ?? 0;
  const spec: PriorBoxSpec = {
    minSizes: rawList(raw.get('min_size')),
    maxSizes: rawList(raw.get('max_size')),
    aspectRatios: rawList(raw.get('aspect_ratio')),
    flip: raw.get('flip')?.boolean('b', true) ?? true,
    clip: raw.get('clip')?.boolean('b', false) ?? false,
    variances: rawList(raw.get('variance')),
    step: [step, step],
    offset: rawList(raw.get('offset'))[0] ?? 0.5,
    imageSize: [0, 0],
  };
  const data = priorBoxes(spec, feature[0], feature[1], image[0], image[1]);
  return [{ dtype: 'float32', rank: 3, constant: { data, shape: [1, 2, data.length / 2] }, names: {} }];
};

/** A Conv2D fed by a dilating SpaceToBatchND; any other Conv2D returns undefined (the TF.js handler takes it). */
export function dilatedConv(node: TfNode, c: OpenCvOpContext): Value[] | undefined {
  const dilation = c.dilations.get(nodeNameOf((node.input ?? [])[0] ?? ''));
  if (!dilation) return undefined;
  const filter = c.ctx.constantInput(node, 1);
  const [kh, kw] = filter.shape as [number, number];
  const weights = transposeConstant(filter, [3, 2, 0, 1]);
  const strides = attrInts(node, 'strides').slice(1, 3);
  const b = c.ctx.builder;
  const y = b.op('Conv', [c.ctx.nchw(c.ctx.inputs(node)[0]!), b.constant(`${node.name}/weights`, weights.data, weights.shape)], {
    kernel_shape: ints([kh, kw]),
    strides: ints(strides.length === 2 ? strides : [1, 1]),
    dilations: ints([dilation.block, dilation.block]),
    pads: ints([dilation.top, dilation.left, dilation.top, dilation.left]),
  }, node.name);
  const input = c.sizes.get(nodeNameOf((node.input ?? [])[0]!));
  if (input) {
    const out = (size: number, k: number, pad: number, s: number) => Math.floor((size + 2 * pad - dilation.block * (k - 1) - 1) / s) + 1;
    c.sizes.set(node.name, [out(input[0], kh, dilation.top, strides[0] ?? 1), out(input[1], kw, dilation.left, strides[1] ?? 1)]);
  }
  return [computed('float32', 4, y, 'nchw')];
}

/** OpenCV reads a 0 in a Reshape target as "keep this dimension" (Caffe's rule), not as TF's empty axis. */
const reshape: Handler = (node, c) => {
  const target = Array.from(c.ctx.constantInput(node, 1).data);
  const b = c.ctx.builder;
  return [computed('float32', target.length, b.op('Reshape', [c.ctx.tf(c.ctx.inputs(node)[0]!), b.int64s(target)], {}, node.name))];
};

export const OPENCV_TF_OPS: Readonly<Record<string, Handler>> = {
  Reshape: reshape,
  FusedBatchNorm: fusedBatchNorm,
  FusedBatchNormV3: fusedBatchNorm,
  SpaceToBatchND: spaceToBatch,
  BatchToSpaceND: batchToSpace,
  Flatten: flatten,
  L2Normalize: l2Normalize,
  PriorBox: priorBox,
};
