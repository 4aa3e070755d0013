/**
 * The building blocks face-api's networks share (plain and depthwise-separable
 * convolutions, fully connected layers, the RGB mean normalisation), emitted
 * as ONNX nodes. face-api stores filters in TF's HWIO layout and runs NHWC;
 * the ONNX graphs run NCHW, so filters are transposed here once, at
 * conversion time.
 */
import { GraphBuilder, int, ints, str, type Attribute } from '../onnx/graph-builder.js';
import type { WeightMap, WeightTensor } from './weights.js';

/** A graph under construction and the weights its layers read. */
export interface LayerContext {
  readonly g: GraphBuilder;
  readonly weights: WeightMap;
}

/**
 * How a convolution pads: TF's `'same'` (extra row/column at the end, as
 * TF does for even totals), `'valid'`, or an explicit symmetric amount.
 */
export type Padding = 'same' | 'valid' | number;

export interface ConvOptions {
  stride?: number;
  padding?: Padding;
}

function paddingAttributes(padding: Padding): Record<string, Attribute> {
  if (padding === 'same') return { auto_pad: str('SAME_UPPER') };
  if (padding === 'valid') return { auto_pad: str('VALID') };
  return { pads: ints([padding, padding, padding, padding]) };
}

/** Reorders a TF filter [kh, kw, in, out] into ONNX's [out, in, kh, kw]. */
export function hwioToOihw(filter: WeightTensor): { data: Float32Array; dims: number[] } {
  const [kh, kw, cin, cout] = filter.shape as [number, number, number, number];
  const data = new Float32Array(filter.data.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < cin; i++) {
        for (let o = 0; o < cout; o++) {
          data[((o * cin + i) * kh + y) * kw + x] = filter.data[((y * kw + x) * cin + i) * cout + o]!;
        }
      }
    }
  }
  return { data, dims: [cout, cin, kh, kw] };
}

/** Reorders a TF depthwise filter [kh, kw, channels, 1] into ONNX's grouped [channels, 1, kh, kw]. */
function depthwiseToOihw(filter: WeightTensor): { data: Float32Array; dims: number[] } {
  const [kh, kw, channels, multiplier] = filter.shape as [number, number, number, number];
  if (multiplier !== 1) throw new Error(`Depthwise filter with channel multiplier ${multiplier} is not supported`);
  const data = new Float32Array(filter.data.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let c = 0; c < channels; c++) data[(c * kh + y) * kw + x] = filter.data[(y * kw + x) * channels + c]!;
    }
  }
  return { data, dims: [channels, 1, kh, kw] };
}

function biasConstant(ctx: LayerContext, name: string): string {
  const bias = ctx.weights.get(name, 1);
  return ctx.g.constant(name, bias.data, [...bias.shape]);
}

/**
 * The NHWC RGB 0..255 image input turned into the NCHW tensor face-api's
 * nets see: `(x - meanRgb) / divisor`, in that order so the float rounding
 * is the same as tfjs's.
 *
 * @example
 *   const x = normalizedNchwInput(g, g.input('image', ['batch', 112, 112, 3]), [122.782, 117.001, 104.298]);
 */
export function normalizedNchwInput(g: GraphBuilder, nhwc: string, meanRgb: readonly [number, number, number], divisor = 255): string {
  const centred = g.op('Sub', [nhwc, g.floats32([...meanRgb], [1, 1, 1, 3])], {}, 'normalize/sub_mean');
  const scaled = g.op('Div', [centred, g.floats32([divisor])], {}, 'normalize/div');
  return g.op('Transpose', [scaled], { perm: ints([0, 3, 1, 2]) }, 'to_nchw');
}

/**
 * A plain convolution with bias reading `${prefix}/filters` and `${prefix}/bias`.
 *
 * @example
 *   const y = conv2d(ctx, 'entry_flow/conv_in', x, { stride: 2, padding: 'same' });
 */
export function conv2d(ctx: LayerContext, prefix: string, x: string, options: ConvOptions = {}): string {
  const { stride = 1, padding = 'same' } = options;
  const filter = hwioToOihw(ctx.weights.get(`${prefix}/filters`, 4));
  const w = ctx.g.constant(`${prefix}/filters`, filter.data, filter.dims);
  const b = biasConstant(ctx, `${prefix}/bias`);
  return ctx.g.op('Conv', [x, w, b], { strides: ints([stride, stride]), ...paddingAttributes(padding) }, prefix);
}

/**
 * TF's separableConv2d plus bias: a depthwise 3x3 convolution (no bias)
 * followed by a pointwise 1x1 convolution carrying the bias, reading
 * `${prefix}/depthwise_filter`, `/pointwise_filter` and `/bias`.
 *
 * @example
 *   const y = separableConv2d(ctx, 'dense1/conv0', x, { stride: 2 });
 */
export function separableConv2d(ctx: LayerContext, prefix: string, x: string, options: ConvOptions = {}): string {
  const { stride = 1, padding = 'same' } = options;
  const depthwise = depthwiseToOihw(ctx.weights.get(`${prefix}/depthwise_filter`, 4));
  const pointwise = hwioToOihw(ctx.weights.get(`${prefix}/pointwise_filter`, 4));
  const dw = ctx.g.constant(`${prefix}/depthwise_filter`, depthwise.data, depthwise.dims);
  const pw = ctx.g.constant(`${prefix}/pointwise_filter`, pointwise.data, pointwise.dims);
  const spatial = ctx.g.op(
    'Conv',
    [x, dw],
    { group: int(depthwise.dims[0]!), strides: ints([stride, stride]), ...paddingAttributes(padding) },
    `${prefix}/depthwise`,
  );
  return ctx.g.op('Conv', [spatial, pw, biasConstant(ctx, `${prefix}/bias`)], {}, `${prefix}/pointwise`);
}

/**
 * A fully connected layer `x · W + b` on a [N, in] tensor, reading
 * `${prefix}/weights` [in, out] and `${prefix}/bias` [out].
 *
 * @example
 *   const age = fullyConnected(ctx, 'fc/age', pooled); // [N, 1]
 */
export function fullyConnected(ctx: LayerContext, prefix: string, x: string): string {
  const weights = ctx.weights.get(`${prefix}/weights`, 2);
  const w = ctx.g.constant(`${prefix}/weights`, weights.data, [...weights.shape]);
  return ctx.g.op('Gemm', [x, w, biasConstant(ctx, `${prefix}/bias`)], {}, prefix);
}

/** Element-wise helpers that read better inline in a network description. */
export const relu = (g: GraphBuilder, x: string): string => g.op('Relu', [x]);
export const add = (g: GraphBuilder, a: string, b: string): string => g.op('Add', [a, b]);

/** A max pool with TF-style padding. */
export function maxPool(g: GraphBuilder, x: string, kernel: number, stride: number, padding: Padding = 'same'): string {
  return g.op('MaxPool', [x], { kernel_shape: ints([kernel, kernel]), strides: ints([stride, stride]), ...paddingAttributes(padding) });
}

/** face-api's 7x7 stride-2 'valid' average pool over the 7x7 bottleneck, flattened to [N, channels]. */
export function globalAveragePool7(g: GraphBuilder, x: string): string {
  const pooled = g.op('AveragePool', [x], { kernel_shape: ints([7, 7]), strides: ints([2, 2]), auto_pad: str('VALID') });
  return g.op('Flatten', [pooled], { axis: int(1) });
}
