/**
 * The original runtime for TF.js converter tests: tfjs-converter on the
 * cpu backend, fed from memory (plain node has no file:// handler without
 * tfjs-node), plus a runner that compares it with onnxruntime.
 */
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ort from 'onnxruntime-node';
import type { TfjsGraphModelJson } from '../../../../src/convert/tfjs/model-json.js';

const require = createRequire(import.meta.url);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

let loaded: Promise<Any> | undefined;

/** tfjs on the cpu backend (deterministic float32), loaded once per process. */
export function loadTfjs(): Promise<Any> {
  loaded ??= (async () => {
    const tf = require('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    await tf.ready();
    return tf;
  })();
  return loaded;
}

/** A tfjs GraphModel from model.json contents and its concatenated shard bytes. */
export async function tfjsGraphModel(json: TfjsGraphModelJson, weightData: Uint8Array): Promise<Any> {
  const tf = await loadTfjs();
  const buffer = weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength);
  const handler = tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
    weightData: buffer,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    signature: json.signature,
    userDefinedMetadata: json.userDefinedMetadata,
  });
  return tf.loadGraphModel(handler);
}

/** A tfjs GraphModel read from a model.json file and its shards. */
export async function tfjsGraphModelFromFile(modelJsonPath: string): Promise<Any> {
  const json = JSON.parse(await readFile(modelJsonPath, 'utf8')) as TfjsGraphModelJson;
  const folder = path.dirname(modelJsonPath);
  const shards = await Promise.all(json.weightsManifest.flatMap((g) => g.paths).map((p) => readFile(path.join(folder, p))));
  return tfjsGraphModel(json, Buffer.concat(shards));
}

export interface Feed {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/** tfjs's outputs for `feed`, in `execute()` order. */
export async function runTfjs(model: Any, feed: Feed): Promise<Float32Array[]> {
  const tf = await loadTfjs();
  const input = tf.tensor(feed.data, feed.shape, 'float32');
  const result = model.execute(input);
  const tensors: Any[] = Array.isArray(result) ? result : [result];
  const outputs = await Promise.all(tensors.map(async (t) => Float32Array.from(await t.data())));
  tf.dispose([input, ...tensors]);
  return outputs;
}

/** onnxruntime's outputs for `feed`, in the converter's output order. */
export async function runOnnx(onnx: Uint8Array, inputName: string, outputNames: readonly string[], feed: Feed): Promise<Float32Array[]> {
  const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: 1 });
  const result = await session.run({ [inputName]: new ort.Tensor('float32', feed.data, [...feed.shape]) });
  return outputNames.map((name) => Float32Array.from(result[name]!.data as Float32Array));
}

/** Largest |a - b| over two equally long arrays (Infinity when lengths differ). */
export function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return Number.isNaN(worst) ? Infinity : worst;
}
