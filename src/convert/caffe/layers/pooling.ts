/**
 * Caffe Pooling -> ONNX MaxPool / AveragePool with Caffe's output size:
 * Caffe rounds up (a last, partial window) but drops a window that would
 * start inside the bottom/right padding. The extra partial window becomes
 * extra end padding; a dropped one is sliced off. Caffe's average divides
 * by the window clipped to the padded input (not to the image), which ONNX
 * has no mode for, so the average is corrected by a constant factor map.
 */
import { int, ints } from '../../onnx/graph-builder.js';
import type { CaffeContext, BlobTensor, LayerHandler } from '../caffe-context.js';
import type { CaffeLayer } from '../net-definition.js';
import { spatialPair, type Pair } from './spatial-params.js';

/** Caffe's pooled length along one axis (`round_mode` CEIL, the default, or FLOOR). */
export function pooledLength(input: number, kernel: number, pad: number, stride: number, ceil: boolean): number {
  const span = (input + 2 * pad - kernel) / stride;
  let length = (ceil ? Math.ceil(span) : Math.floor(span)) + 1;
  // The last window must start inside the image or the leading padding.
  if (pad > 0 && (length - 1) * stride >= input + pad) length--;
  return length;
}

/** Per output position along one axis: window size inside the image, and Caffe's divisor (window clipped to input + pad). */
function averageDivisors(input: number, output: number, kernel: number, pad: number, stride: number) {
  const valid: number[] = [];
  const caffe: number[] = [];
  for (let o = 0; o < output; o++) {
    const start = o * stride - pad;
    const end = Math.min(start + kernel, input + pad);
    caffe.push(end - start);
    valid.push(Math.min(end, input) - Math.max(start, 0));
  }
  return { valid, caffe };
}

interface Geometry {
  kernel: Pair;
  pad: Pair;
  stride: Pair;
  out: Pair;
}

function geometryOf(layer: CaffeLayer, ctx: CaffeContext, input: BlobTensor): Geometry {
  const param = layer.message.message('pooling_param');
  const [, , height, width] = input.shape as [number, number, number, number];
  try {
    if (param.boolean('global_pooling', false)) return { kernel: [height, width], pad: [0, 0], stride: [1, 1], out: [1, 1] };
    const kernel = spatialPair(param, 'kernel', undefined);
    const pad = spatialPair(param, 'pad', 0);
    const stride = spatialPair(param, 'stride', 1);
    const ceil = param.string('round_mode', 'CEIL') !== 'FLOOR';
    const out: Pair = [pooledLength(height, kernel[0], pad[0], stride[0], ceil), pooledLength(width, kernel[1], pad[1], stride[1], ceil)];
    return { kernel, pad, stride, out };
  } catch (error) {
    throw ctx.layerError(layer, `has bad pooling_param: ${(error as Error).message}`);
  }
}

export const pooling: LayerHandler = (layer, ctx) => {
  const method = layer.message.message('pooling_param').string('pool', 'MAX');
  if (method !== 'MAX' && method !== 'AVE') throw ctx.layerError(layer, `uses pool: ${method}; only MAX and AVE are supported`);
  const input = ctx.bottom(layer);
  const [n, channels, height, width] = input.shape as [number, number, number, number];
  const { kernel, pad, stride, out } = geometryOf(layer, ctx, input);
  // End padding that makes ONNX's floor rounding reach Caffe's last window.
  const endPad = [0, 1].map((a) => Math.max(pad[a]!, (out[a]! - 1) * stride[a]! + kernel[a]! - [height, width][a]! - pad[a]!));
  const attributes = { kernel_shape: ints(kernel), strides: ints(stride), pads: ints([pad[0], pad[1], endPad[0]!, endPad[1]!]) };
  const b = ctx.builder;
  let name =
    method === 'MAX'
      ? b.op('MaxPool', [ctx.name(input)], attributes, layer.name)
      : b.op('AveragePool', [ctx.name(input)], { ...attributes, count_include_pad: int(0) }, layer.name);
  const onnxOut = [0, 1].map((a) => Math.floor(([height, width][a]! + pad[a]! + endPad[a]! - kernel[a]!) / stride[a]!) + 1);
  if (onnxOut[0] !== out[0] || onnxOut[1] !== out[1]) {
    name = b.op('Slice', [name, b.int64s([0, 0]), b.int64s(out), b.int64s([2, 3])], {}, `${layer.name}_crop`);
  }
  if (method === 'AVE') {
    const rows = averageDivisors(height, out[0], kernel[0], pad[0], stride[0]);
    const cols = averageDivisors(width, out[1], kernel[1], pad[1], stride[1]);
    const factors = new Float32Array(out[0] * out[1]);
    let differs = false;
    for (let r = 0; r < out[0]; r++) {
      for (let c = 0; c < out[1]; c++) {
        const factor = (rows.valid[r]! * cols.valid[c]!) / (rows.caffe[r]! * cols.caffe[c]!);
        factors[r * out[1] + c] = factor;
        differs ||= factor !== 1;
      }
    }
    if (differs) name = b.op('Mul', [name, b.constant(`${layer.name}_divisors`, factors, [1, 1, out[0], out[1]])], {}, `${layer.name}_caffe_mean`);
  }
  return [{ name, shape: [n, channels, out[0], out[1]] }];
};
