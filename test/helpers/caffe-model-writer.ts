/**
 * Writes caffemodels with random weights for a network definition, so the
 * converter can be checked against OpenCV on the real definitions without
 * the real (unavailable) weights. Weights follow He initialisation so the
 * activations stay in a sensible range through deep nets; BatchNorm blobs
 * use a non-trivial scale factor to exercise Caffe's running-sum scaling.
 */
import protobuf from 'protobufjs';
import { readNetDefinition, type CaffeLayer, type NetDefinition } from '../../src/convert/caffe/net-definition.js';
import { convolvedLength } from '../../src/convert/caffe/layers/convolution.js';
import { pooledLength } from '../../src/convert/caffe/layers/pooling.js';
import { spatialPair } from '../../src/convert/caffe/layers/spatial-params.js';

/** A seeded generator (mulberry32), so every run writes the same model. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Blob {
  shape: number[];
  data: Float32Array;
}

export interface RandomWeightOptions {
  seed?: number;
  /** Multiplies every He-initialised weight (below 1 keeps deep residual nets from growing their activations). */
  weightScale?: number;
  /** Multiplies the weights of layers whose name matches (e.g. make SSD confidences decisive). */
  gain?: { pattern: RegExp; factor: number };
  /** Write V1 `layers` entries with legacy num/channels/height/width blobs (as old models do). */
  legacy?: boolean;
}

type Shape = [c: number, h: number, w: number];

function makeBlobs(layer: CaffeLayer, input: Shape | undefined, random: () => number, gain: number): { blobs: Blob[]; output?: Shape } {
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const fill = (shape: number[], value: () => number): Blob => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, value) });
  const he = (fanIn: number) => () => gaussian() * Math.sqrt(2 / fanIn) * gain;
  const small = () => (random() - 0.5) * 0.2;
  const m = layer.message;
  switch (layer.type) {
    case 'Convolution': {
      const p = m.message('convolution_param');
      const [c, h, w] = input!;
      const out = p.number('num_output')!;
      const group = p.number('group', 1);
      const [k, pad, stride, dilation] = [spatialPair(p, 'kernel', undefined), spatialPair(p, 'pad', 0), spatialPair(p, 'stride', 1), spatialPair(p, 'dilation', 1)];
      const blobs = [fill([out, c / group, k[0], k[1]], he((c / group) * k[0] * k[1]))];
      if (p.boolean('bias_term', true)) blobs.push(fill([out], small));
      return { blobs, output: [out, convolvedLength(h, k[0], pad[0], stride[0], dilation[0]), convolvedLength(w, k[1], pad[1], stride[1], dilation[1])] };
    }
    case 'InnerProduct': {
      const p = m.message('inner_product_param');
      const fanIn = input!.reduce((a, b) => a * b, 1);
      const out = p.number('num_output')!;
      return { blobs: [fill([out, fanIn], he(fanIn)), fill([out], small)], output: [out, 1, 1] };
    }
    case 'Pooling': {
      const p = m.message('pooling_param');
      const [c, h, w] = input!;
      if (p.boolean('global_pooling', false)) return { blobs: [], output: [c, 1, 1] };
      const [k, pad, stride] = [spatialPair(p, 'kernel', undefined), spatialPair(p, 'pad', 0), spatialPair(p, 'stride', 1)];
      return { blobs: [], output: [c, pooledLength(h, k[0], pad[0], stride[0], true), pooledLength(w, k[1], pad[1], stride[1], true)] };
    }
    case 'BatchNorm': {
      const c = input![0];
      // Caffe stores running sums: mean and variance multiplied by the third blob.
      const factor = 2;
      return { blobs: [fill([c], () => gaussian() * 0.2 * factor), fill([c], () => (0.5 + random()) * factor), fill([1], () => factor)], output: input };
    }
    case 'Scale':
      return { blobs: [fill([input![0]], () => 0.5 + random()), ...(m.message('scale_param').boolean('bias_term', false) ? [fill([input![0]], small)] : [])], output: input };
    case 'Normalize':
      return { blobs: [fill(m.message('norm_param').boolean('channel_shared', true) ? [1] : [input![0]], () => 10 + random() * 10)], output: input };
    default:
      return { blobs: [], output: input };
  }
}

/** Tracks [C, H, W] of every blob through the layers and makes each layer's random blobs. */
export function randomWeights(net: NetDefinition, options: RandomWeightOptions = {}): Map<string, Blob[]> {
  const random = seededRandom(options.seed ?? 1);
  const shapes = new Map<string, Shape>(net.inputs.map((i) => [i.name, [i.shape[1]!, i.shape[2]!, i.shape[3]!] as Shape]));
  const weights = new Map<string, Blob[]>();
  for (const layer of net.layers) {
    const input = shapes.get(layer.bottoms[0] ?? '');
    const gain = (options.weightScale ?? 1) * (options.gain?.pattern.test(layer.name) ? options.gain.factor : 1);
    const { blobs, output } =
      layer.type === 'Concat' && layer.bottoms.every((b) => shapes.has(b))
        ? { blobs: [], output: layer.bottoms.map((b) => shapes.get(b)!).reduce((a, s) => [a[0] + s[0], a[1], a[2]] as Shape) }
        : makeBlobs(layer, input, random, gain);
    if (blobs.length > 0) weights.set(layer.name, blobs);
    for (const top of layer.tops) {
      if (output && ['Permute', 'Flatten', 'Reshape', 'PriorBox', 'DetectionOutput', 'Softmax'].every((t) => t !== layer.type)) shapes.set(top, output);
      else shapes.delete(top);
    }
  }
  return weights;
}

const V1_TYPE_CODES: Readonly<Record<string, number>> = { Convolution: 4, InnerProduct: 14, BatchNorm: 0, Scale: 0 };

function writeBlob(writer: protobuf.Writer, blob: Blob, legacy: boolean): void {
  if (legacy) {
    // num, channels, height, width: the shape right-aligned into 4 dims.
    const dims = [1, 1, 1, 1, ...blob.shape].slice(-4);
    dims.forEach((d, i) => writer.uint32(((i + 1) << 3) | 0).int32(d));
  } else {
    const shape = writer.uint32((7 << 3) | 2).fork();
    shape.uint32((1 << 3) | 2).fork();
    for (const d of blob.shape) shape.int64(d);
    shape.ldelim();
    writer.ldelim();
  }
  writer.uint32((5 << 3) | 2).bytes(new Uint8Array(blob.data.buffer, blob.data.byteOffset, blob.data.byteLength));
}

/**
 * A caffemodel (NetParameter bytes) holding `weights` for the layers of `net`.
 *
 * @example
 *   const net = readNetDefinition(text, 'deploy_age.prototxt');
 *   const bytes = writeCaffeModel(net, randomWeights(net, { seed: 7 }), { legacy: true });
 */
export function writeCaffeModel(net: NetDefinition, weights: Map<string, Blob[]>, options: { legacy?: boolean } = {}): Uint8Array {
  const writer = protobuf.Writer.create();
  writer.uint32((1 << 3) | 2).string(net.name);
  for (const layer of net.layers) {
    const blobs = weights.get(layer.name);
    if (!blobs) continue;
    if (options.legacy) {
      writer.uint32((2 << 3) | 2).fork();
      writer.uint32((4 << 3) | 2).string(layer.name);
      writer.uint32((5 << 3) | 0).int32(V1_TYPE_CODES[layer.type] ?? 0);
      for (const blob of blobs) {
        writer.uint32((6 << 3) | 2).fork();
        writeBlob(writer, blob, true);
        writer.ldelim();
      }
    } else {
      writer.uint32((100 << 3) | 2).fork();
      writer.uint32((1 << 3) | 2).string(layer.name);
      writer.uint32((2 << 3) | 2).string(layer.type);
      for (const blob of blobs) {
        writer.uint32((7 << 3) | 2).fork();
        writeBlob(writer, blob, false);
        writer.ldelim();
      }
    }
    writer.ldelim();
  }
  return writer.finish();
}

/** Parses `text` and writes a random-weight caffemodel for it in one go. */
export function randomCaffeModel(text: string, source: string, options: RandomWeightOptions = {}): Uint8Array {
  const net = readNetDefinition(text, source);
  return writeCaffeModel(net, randomWeights(net, options), { legacy: options.legacy });
}
