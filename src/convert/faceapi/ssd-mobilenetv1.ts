/**
 * Converts face-api's ssd_mobilenetv1_model (weights only; the topology is
 * fixed: a MobileNetV1 backbone, eight extra feature layers and six box
 * predictors) to ONNX.
 *
 * Graph: input `image` float32 [N, 512, 512, 3], RGB 0..255, already padded
 * to a square and resized. Outputs `boxes` [N, 5118, 4], the raw box
 * encodings (ty, tx, th, tw) per anchor, and `scores` [N, 5118], the face
 * probability (sigmoid of the face class logit) per anchor. Box decoding
 * against the anchors and NMS happen in TypeScript (`ssd-decode.ts`).
 *
 * Folded at conversion time: the input normalisation into the first
 * convolution, every depthwise batch norm into its filter and bias, and the
 * box and class predictors of each feature map into one 1x1 convolution
 * that only keeps the face class.
 */
import path from 'node:path';
import { GraphBuilder, int, ints } from '../onnx/graph-builder.js';
import { hwioToOihw, type LayerContext as Ctx } from './faceapi-layers.js';
import { readWeightsManifest } from './weights.js';

/** Side of the square image the detector takes. */
export const SSD_INPUT_SIZE = 512;
/** Anchors the six feature maps predict (32²·3 + (16² + 8² + 4² + 2² + 1²)·6). */
export const SSD_ANCHOR_COUNT = 5118;
/** Values per anchor in the `boxes` output: ty, tx, th, tw. */
export const SSD_BOX_ENCODING_SIZE = 4;

/** face-api's batch norm epsilon (a float32 0.001). */
const BATCH_NORM_EPSILON = 0.0010000000474974513;
/** face-api maps 0..255 to -1..1: x / 127.5 - 1. */
const INPUT_HALF_RANGE = 127.5;
/** The MobileNetV1 layers whose depthwise convolution has stride 2. */
const STRIDE_2_LAYERS = new Set([2, 4, 6, 12]);
/** Per anchor in the fused predictor: 4 box values and the face logit. */
const VALUES_PER_ANCHOR = SSD_BOX_ENCODING_SIZE + 1;
/** face-api reads class logit 1 of the 3 per anchor as the face score (0 is background). */
const FACE_CLASS_INDEX = 1;
const CLASS_LOGITS_PER_ANCHOR = 3;

/** A feature map as it flows through the graph: tensor name, channels and spatial side. */
interface Feature {
  name: string;
  channels: number;
  side: number;
}

/** TF 'same' padding for a square input as ONNX pads [top, left, bottom, right]; TF puts the odd pixel at the end. */
function samePads(side: number, kernel: number, stride: number): number[] {
  const outSide = Math.ceil(side / stride);
  const total = Math.max((outSide - 1) * stride + kernel - side, 0);
  const before = Math.floor(total / 2);
  return [before, before, total - before, total - before];
}

interface ConvSpec {
  stride: number;
  group?: number;
  /** Explicit pads; TF 'same' when omitted. */
  pads?: number[];
}

function convClip6(ctx: Ctx, x: Feature, w: { data: Float32Array; dims: number[] }, bias: Float32Array, spec: ConvSpec, hint: string): Feature {
  const { g } = ctx;
  const { stride, group = 1 } = spec;
  const [outChannels, , kernel] = w.dims as [number, number, number, number];
  const pads = spec.pads ?? samePads(x.side, kernel, stride);
  const outSide = Math.floor((x.side + pads[0]! + pads[2]! - kernel) / stride) + 1;
  const conv = g.op(
    'Conv',
    [x.name, g.constant(`${hint}/w`, w.data, w.dims), g.constant(`${hint}/b`, bias, [outChannels])],
    { strides: ints([stride, stride]), pads: ints(pads), group: int(group) },
    hint,
  );
  // relu6, which ORT fuses into the convolution.
  const out = g.op('Clip', [conv, g.floats32([0]), g.floats32([6])], {}, `${hint}/relu6`);
  return { name: out, channels: outChannels, side: outSide };
}

/** face-api's pointwiseConvLayer: convolution ('same'), add the batch norm offset, relu6. */
function pointwiseConv(ctx: Ctx, prefix: string, x: Feature, stride: number): Feature {
  const filter = hwioToOihw(ctx.weights.get(`${prefix}/weights`, 4));
  const offset = ctx.weights.get(`${prefix}/convolution_bn_offset`, 1).data;
  return convClip6(ctx, x, filter, offset, { stride }, prefix);
}

/** face-api's depthwiseConvLayer with its batch norm folded into the filter and a bias, then relu6. */
function depthwiseConv(ctx: Ctx, prefix: string, x: Feature, stride: number): Feature {
  const { weights } = ctx;
  const filter = weights.get(`${prefix}/depthwise_weights`, 4);
  const [kh, kw, channels] = filter.shape as [number, number, number, number];
  const gamma = weights.get(`${prefix}/BatchNorm/gamma`, 1).data;
  const beta = weights.get(`${prefix}/BatchNorm/beta`, 1).data;
  const mean = weights.get(`${prefix}/BatchNorm/moving_mean`, 1).data;
  const variance = weights.get(`${prefix}/BatchNorm/moving_variance`, 1).data;
  const data = new Float32Array(filter.data.length);
  const bias = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const scale = gamma[c]! / Math.sqrt(variance[c]! + BATCH_NORM_EPSILON);
    bias[c] = beta[c]! - mean[c]! * scale;
    for (let y = 0; y < kh; y++) {
      for (let xx = 0; xx < kw; xx++) data[(c * kh + y) * kw + xx] = filter.data[(y * kw + xx) * channels + c]! * scale;
    }
  }
  return convClip6(ctx, x, { data, dims: [channels, 1, kh, kw] }, bias, { stride, group: channels }, prefix);
}

/**
 * The first convolution with face-api's `x / 127.5 - 1` folded in. TF pads
 * the normalised image with zeros, i.e. raw 127.5, so the raw image is
 * padded with 127.5 here and the convolution itself pads nothing.
 */
function firstConv(ctx: Ctx, nchw: string): Feature {
  const { g } = ctx;
  const prefix = 'MobilenetV1/Conv2d_0_pointwise';
  const filter = hwioToOihw(ctx.weights.get(`${prefix}/weights`, 4));
  const offset = ctx.weights.get(`${prefix}/convolution_bn_offset`, 1).data;
  const [outChannels, , kernel] = filter.dims as [number, number, number, number];
  const perOutput = filter.data.length / outChannels;
  const w = new Float32Array(filter.data.length);
  const bias = Float32Array.from(offset);
  for (let o = 0; o < outChannels; o++) {
    for (let i = 0; i < perOutput; i++) {
      const value = filter.data[o * perOutput + i]!;
      w[o * perOutput + i] = value / INPUT_HALF_RANGE;
      bias[o] -= value;
    }
  }
  const pads = samePads(SSD_INPUT_SIZE, kernel, 2);
  const padded = g.op(
    'Pad',
    [nchw, g.int64s([0, 0, pads[0]!, pads[1]!, 0, 0, pads[2]!, pads[3]!]), g.floats32([INPUT_HALF_RANGE])],
    {},
    'input/pad_mid_grey',
  );
  const x = { name: padded, channels: 3, side: SSD_INPUT_SIZE + pads[0]! + pads[2]! };
  return convClip6(ctx, x, { data: w, dims: filter.dims }, bias, { stride: 2, pads: [0, 0, 0, 0] }, prefix);
}

/** MobileNetV1: returns the 32x32 map after layer 11 and the 16x16 map after layer 13. */
function mobileNetV1(ctx: Ctx, nchw: string): { conv11: Feature; out: Feature } {
  let out = firstConv(ctx, nchw);
  let conv11: Feature | undefined;
  for (let layer = 1; layer <= 13; layer++) {
    out = depthwiseConv(ctx, `MobilenetV1/Conv2d_${layer}_depthwise`, out, STRIDE_2_LAYERS.has(layer) ? 2 : 1);
    out = pointwiseConv(ctx, `MobilenetV1/Conv2d_${layer}_pointwise`, out, 1);
    if (layer === 11) conv11 = out;
  }
  return { conv11: conv11!, out };
}

/** Reads a 1x1 predictor convolution as [in][out] rows (HWIO with kh = kw = 1). */
function predictorWeights(ctx: Ctx, prefix: string) {
  const weights = ctx.weights.get(`${prefix}/weights`, 4);
  const [kh, kw, inChannels, outChannels] = weights.shape as [number, number, number, number];
  if (kh !== 1 || kw !== 1) throw new Error(`Expected a 1x1 predictor at ${prefix}, found ${kh}x${kw}`);
  return { data: weights.data, bias: ctx.weights.get(`${prefix}/biases`, 1).data, inChannels, outChannels };
}

/**
 * One feature map's box encoding and class predictors as a single 1x1
 * convolution whose channels are, per anchor, the 4 box values and the
 * face logit; reshaped to [N, side * side * anchors, 5] in face-api's
 * (row, column, anchor) order.
 */
function boxPredictor(ctx: Ctx, index: number, x: Feature): string {
  const { g } = ctx;
  const prefix = `Prediction/BoxPredictor_${index}`;
  const box = predictorWeights(ctx, `${prefix}/BoxEncodingPredictor`);
  const cls = predictorWeights(ctx, `${prefix}/ClassPredictor`);
  const anchors = box.outChannels / SSD_BOX_ENCODING_SIZE;
  if (cls.outChannels !== anchors * CLASS_LOGITS_PER_ANCHOR) {
    throw new Error(`${prefix}: ${box.outChannels} box channels do not match ${cls.outChannels} class channels`);
  }
  const outChannels = anchors * VALUES_PER_ANCHOR;
  const w = new Float32Array(outChannels * x.channels);
  const bias = new Float32Array(outChannels);
  const take = (o: number, source: typeof box, sourceChannel: number) => {
    bias[o] = source.bias[sourceChannel]!;
    for (let i = 0; i < x.channels; i++) w[o * x.channels + i] = source.data[i * source.outChannels + sourceChannel]!;
  };
  for (let a = 0; a < anchors; a++) {
    for (let k = 0; k < SSD_BOX_ENCODING_SIZE; k++) take(a * VALUES_PER_ANCHOR + k, box, a * SSD_BOX_ENCODING_SIZE + k);
    take(a * VALUES_PER_ANCHOR + SSD_BOX_ENCODING_SIZE, cls, a * CLASS_LOGITS_PER_ANCHOR + FACE_CLASS_INDEX);
  }
  const conv = g.op(
    'Conv',
    [x.name, g.constant(`${prefix}/w`, w, [outChannels, x.channels, 1, 1]), g.constant(`${prefix}/b`, bias, [outChannels])],
    {},
    prefix,
  );
  const nhwc = g.op('Transpose', [conv], { perm: ints([0, 2, 3, 1]) }, `${prefix}/nhwc`);
  return g.op('Reshape', [nhwc, g.int64s([0, -1, VALUES_PER_ANCHOR])], {}, `${prefix}/per_anchor`);
}

/** The extra feature layers after the backbone and the six predictors, concatenated to [N, 5118, 5]. */
function predictions(ctx: Ctx, conv11: Feature, backboneOut: Feature): string {
  const extra: Feature[] = [];
  let x = backboneOut;
  for (let i = 0; i < 8; i++) {
    x = pointwiseConv(ctx, `Prediction/Conv2d_${i}_pointwise`, x, i % 2 === 1 ? 2 : 1);
    extra.push(x);
  }
  const sources = [conv11, backboneOut, extra[1]!, extra[3]!, extra[5]!, extra[7]!];
  const perMap = sources.map((feature, index) => boxPredictor(ctx, index, feature));
  return ctx.g.op('Concat', perMap, { axis: int(1) }, 'Prediction/concat');
}

/**
 * Converts the ssd_mobilenetv1_model in `modelDir` to ONNX bytes.
 *
 * @example
 *   const bytes = await convertSsdMobilenetV1('node_modules/@vladmandic/face-api/model');
 *   const session = await ort.InferenceSession.create(bytes);
 *   const { boxes, scores } = await session.run({ image }); // [1, 5118, 4], [1, 5118]
 */
export async function convertSsdMobilenetV1(modelDir: string): Promise<Uint8Array> {
  const weights = await readWeightsManifest(path.join(modelDir, 'ssd_mobilenetv1_model-weights_manifest.json'));
  const g = new GraphBuilder('faceapi_ssd_mobilenetv1');
  const ctx: Ctx = { g, weights };
  const image = g.input('image', ['batch', SSD_INPUT_SIZE, SSD_INPUT_SIZE, 3]);
  const nchw = g.op('Transpose', [image], { perm: ints([0, 3, 1, 2]) }, 'to_nchw');
  const { conv11, out } = mobileNetV1(ctx, nchw);
  const all = predictions(ctx, conv11, out);
  const encodings = g.op('Slice', [all, g.int64s([0]), g.int64s([SSD_BOX_ENCODING_SIZE]), g.int64s([2])], {}, 'box_encodings');
  const logits = g.op('Slice', [all, g.int64s([SSD_BOX_ENCODING_SIZE]), g.int64s([VALUES_PER_ANCHOR]), g.int64s([2])], {}, 'face_logits');
  const probabilities = g.op('Sigmoid', [g.op('Squeeze', [logits, g.int64s([2])])], {}, 'face_probability');
  g.output(encodings, 'boxes', ['batch', SSD_ANCHOR_COUNT, SSD_BOX_ENCODING_SIZE]);
  g.output(probabilities, 'scores', ['batch', SSD_ANCHOR_COUNT]);
  return g.serialize("face-api ssd_mobilenetv1 face detector: raw box encodings and face probabilities per anchor");
}
