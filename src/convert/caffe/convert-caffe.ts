/**
 * Caffe (deploy.prototxt + .caffemodel) -> ONNX. The ONNX model takes the
 * network's NCHW input under the same name with a free batch size, and
 * gives the network's outputs (blobs no layer consumes) under their Caffe
 * names. An SSD's DetectionOutput instead gives `loc`, `conf`, `priors`
 * and `detection_params` for post-processing in TypeScript.
 */
import { readFile } from 'node:fs/promises';
import { ReservingGraphBuilder } from '../tfjs/reserving-graph-builder.js';
import { CaffeContext } from './caffe-context.js';
import { DETECTION_PARAMS_OUTPUT } from './detection-output-params.js';
import { readCaffeModel } from './caffemodel.js';
import { layerHandler, supportedCaffeLayers } from './layer-registry.js';
import { readNetDefinition, type NetDefinition } from './net-definition.js';

export interface ConvertedCaffeModel {
  readonly onnx: Uint8Array;
  readonly inputs: { name: string; shape: (number | string)[] }[];
  readonly outputs: { name: string; shape: number[] }[];
}

export interface ConvertCaffeOptions {
  /** Extra blobs to expose as outputs (for conformance tests of inner layers). */
  readonly extraOutputs?: readonly string[];
}

/** Blobs produced by some layer and consumed by none, in production order. */
function netOutputs(net: NetDefinition): string[] {
  const consumed = new Set(net.layers.flatMap((l) => l.bottoms.filter((b) => !l.tops.includes(b))));
  const produced: string[] = [];
  for (const layer of net.layers) for (const top of layer.tops) if (!produced.includes(top)) produced.push(top);
  // In-place layers (top == bottom) do not count as consumers: the blob's final value keeps its name.
  return produced.filter((top) => !consumed.has(top));
}

/**
 * Converts a parsed definition and the caffemodel's bytes.
 *
 * @example
 *   const { onnx } = convertCaffeNet(readNetDefinition(text, 'deploy_age.prototxt'), weightBytes, 'age_net.caffemodel');
 */
export function convertCaffeNet(net: NetDefinition, weightBytes: Uint8Array, weightsFile: string, options: ConvertCaffeOptions = {}): ConvertedCaffeModel {
  // Output names are reserved so no internal tensor (named after its layer) takes them first.
  const reserved = new Set([...netOutputs(net), 'loc', 'conf', 'priors', DETECTION_PARAMS_OUTPUT, ...(options.extraOutputs ?? []).map((n) => `blob:${n}`)]);
  const builder = new ReservingGraphBuilder(net.name, reserved);
  const ctx = new CaffeContext(builder, readCaffeModel(weightBytes, weightsFile), { definition: net.source, weights: weightsFile });
  const inputs = net.inputs.map(({ name, shape }) => {
    const dims: (number | string)[] = ['batch', ...shape.slice(1)];
    ctx.define(name, { name: builder.input(name, dims), shape: [1, ...shape.slice(1)] });
    return { name, shape: dims };
  });
  for (const layer of net.layers) {
    const handler = layerHandler(layer.type);
    if (!handler) {
      throw new Error(`Unsupported Caffe layer "${layer.name}" of type ${layer.type} in ${net.source}. Supported types: ${supportedCaffeLayers().join(', ')}`);
    }
    const tops = handler(layer, ctx);
    tops.forEach((tensor, i) => {
      const top = layer.tops[i];
      if (top !== undefined) ctx.define(top, tensor);
    });
  }
  const requested = [
    ...netOutputs(net).filter((name) => ctx.has(name) && !ctx.extraOutputs.some((o) => o.name === name)).map((name) => ({ name, tensor: ctx.blob(name) })),
    ...ctx.extraOutputs,
    ...(options.extraOutputs ?? []).map((name) => ({ name: `blob:${name}`, tensor: ctx.blob(name) })),
  ];
  const outputs = requested.map(({ name, tensor }) => {
    builder.output(ctx.name(tensor), name);
    return { name, shape: [...tensor.shape] };
  });
  if (outputs.length === 0) throw new Error(`${net.source} has no outputs`);
  return { onnx: builder.serialize(`Converted from Caffe ${net.source}`), inputs, outputs };
}

/**
 * Reads and converts a prototxt and its caffemodel from disk.
 *
 * @example
 *   const { onnx } = await convertCaffeModel('deploy_gender.prototxt', 'gender_net.caffemodel');
 *   const session = await ort.InferenceSession.create(onnx);
 */
export async function convertCaffeModel(prototxt: string, caffemodel: string, options: ConvertCaffeOptions = {}): Promise<ConvertedCaffeModel> {
  const [text, weights] = await Promise.all([readFile(prototxt, 'utf8'), readFile(caffemodel)]);
  return convertCaffeNet(readNetDefinition(text, prototxt), weights, caffemodel, options);
}
