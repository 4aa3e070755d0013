/**
 * The TF.js graph-model file format: `model.json` holds a TensorFlow GraphDef
 * as JSON (`modelTopology.node`) and a weights manifest naming the `.bin`
 * shards that carry every Const node's value.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeWeightGroups, type WeightMap } from '../faceapi/weights.js';

/** One attribute of a GraphDef node, as the TF.js converter writes it to JSON. */
export interface TfAttrValue {
  i?: string | number;
  f?: number;
  b?: boolean;
  s?: string;
  type?: string;
  shape?: TfShape;
  list?: { i?: (string | number)[]; f?: number[]; s?: string[]; b?: boolean[]; type?: string[] };
}

export interface TfShape {
  dim?: { size?: string | number }[];
  unknownRank?: boolean;
}

/** One GraphDef node: `input` entries are `name`, `name:k` or `^control`. */
export interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttrValue>;
}

export interface TfSignatureEntry {
  name: string;
  dtype?: string;
  tensorShape?: TfShape;
}

export interface TfSignature {
  inputs?: Record<string, TfSignatureEntry>;
  outputs?: Record<string, TfSignatureEntry>;
}

export interface TfWeightEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale?: number; min?: number };
}

export interface TfWeightGroup {
  paths: string[];
  weights: TfWeightEntry[];
}

/** The parsed contents of a graph model's `model.json`. */
export interface TfjsGraphModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: { node: TfNode[]; library?: { function?: unknown[] }; versions?: unknown };
  weightsManifest: TfWeightGroup[];
  signature?: TfSignature;
  userDefinedMetadata?: { signature?: TfSignature } & Record<string, unknown>;
}

/** A graph model in memory: its JSON, its decoded weights, and where it came from (for messages). */
export interface TfjsGraphModel {
  readonly source: string;
  readonly json: TfjsGraphModelJson;
  readonly weights: WeightMap;
}

/** Reads `model.json` and its shards from disk. */
export async function readTfjsGraphModel(modelJsonPath: string): Promise<TfjsGraphModel> {
  const json = JSON.parse(await readFile(modelJsonPath, 'utf8')) as TfjsGraphModelJson;
  const folder = path.dirname(modelJsonPath);
  return decodeTfjsGraphModel(modelJsonPath, json, (shard) => readFile(path.join(folder, shard)));
}

/** Decodes a graph model whose shards come from `readShard` (files, memory, a store). */
export async function decodeTfjsGraphModel(
  source: string,
  json: TfjsGraphModelJson,
  readShard: (shardPath: string) => Promise<Buffer>,
): Promise<TfjsGraphModel> {
  if (!json.modelTopology || !Array.isArray(json.modelTopology.node)) {
    throw new Error(`${source} is not a TF.js graph model: it has no modelTopology.node list`);
  }
  if (json.modelTopology.library?.function?.length) {
    // Control flow (While/If) lives in library functions; the converter maps plain graphs only.
    throw new Error(`${source} uses graph functions (control flow), which the TF.js converter does not support`);
  }
  const weights = await decodeWeightGroups(source, json.weightsManifest ?? [], readShard);
  return { source, json, weights };
}

/** The signature tfjs itself would use: the top-level one, else the one kept in user metadata. */
export function signatureOf(json: TfjsGraphModelJson): TfSignature | undefined {
  return json.signature ?? json.userDefinedMetadata?.signature;
}
