/**
 * TensorFlow frozen graphs: the binary GraphDef (`.pb`) and its text form
 * (`.pbtxt`), read into the same node shape as a TF.js model's topology
 * (`TfNode`, strings base64 as in model.json) so the TF.js converter's op
 * handlers apply. Const tensors are decoded inline; weights quantised to
 * uint8 (`Const` quint8 + min + max -> `Dequantize`, MIN_FIRST, as
 * `quantize_weights` writes them) are expanded back to float32 the way
 * OpenCV's importer does, so converted models match it.
 *
 * @example
 *   const graph = readGraphDef(await readFile('opencv_face_detector_uint8.pb'), 'opencv_face_detector_uint8.pb');
 *   graph.constants.get('conv1_h/weights')?.shape; // [7, 7, 3, 32] (HWIO)
 */
import protobuf from 'protobufjs';
import type { TfAttrValue, TfNode } from '../tfjs/model-json.js';
import { parseTextFormat, TextMessage } from '../caffe/text-format.js';

/** A tensor known from the graph file. */
export interface GraphConstant {
  dtype: 'float32' | 'int32';
  shape: number[];
  data: Float32Array | Int32Array;
}

export interface FrozenGraph {
  source: string;
  nodes: TfNode[];
  /** Const nodes (and folded Dequantize nodes) by name. */
  constants: Map<string, GraphConstant>;
  /** The text-format attributes of each node, for ops whose attributes hold tensors (OpenCV's PriorBox). */
  rawAttributes: Map<string, Map<string, TextMessage>>;
}

// Field numbers from tensorflow/core/framework/{graph,node_def,attr_value,tensor,tensor_shape}.proto.
const SCHEMA = `
syntax = "proto3";
message GraphDef { repeated NodeDef node = 1; }
message NodeDef { string name = 1; string op = 2; repeated string input = 3; string device = 4; map<string, AttrValue> attr = 5; }
message AttrValue {
  message ListValue { repeated bytes s = 2; repeated int64 i = 3; repeated float f = 4; repeated bool b = 5; repeated int32 type = 6; repeated TensorShapeProto shape = 7; }
  oneof value { ListValue list = 1; bytes s = 2; int64 i = 3; float f = 4; bool b = 5; int32 type = 6; TensorShapeProto shape = 7; TensorProto tensor = 8; }
}
message TensorShapeProto { message Dim { int64 size = 1; string name = 2; } repeated Dim dim = 2; bool unknown_rank = 3; }
message TensorProto {
  int32 dtype = 1; TensorShapeProto tensor_shape = 2; bytes tensor_content = 4;
  repeated float float_val = 5; repeated double double_val = 6; repeated int32 int_val = 7; repeated int64 int64_val = 10;
}
`;

let graphDefType: protobuf.Type | undefined;
const DTYPES: Record<number, string> = { 1: 'DT_FLOAT', 2: 'DT_DOUBLE', 3: 'DT_INT32', 4: 'DT_UINT8', 9: 'DT_INT64', 10: 'DT_BOOL', 12: 'DT_QUINT8' };
const dtypeName = (code: number) => DTYPES[code] ?? `DT_${code}`;

interface TensorJson {
  dtype?: number | string;
  tensor_shape?: { dim?: { size?: number | string }[] };
  tensor_content?: Uint8Array;
  float_val?: number[];
  double_val?: number[];
  int_val?: number[];
  int64_val?: (number | string)[];
}

/** Decodes a TensorProto (binary-decoded or from text) into float32/int32, or raw bytes for quint8. */
function decodeTensor(tensor: TensorJson, where: string): GraphConstant | { dtype: 'quint8'; shape: number[]; data: Uint8Array } {
  const dtype = typeof tensor.dtype === 'string' ? tensor.dtype : dtypeName(tensor.dtype ?? 0);
  const shape = (tensor.tensor_shape?.dim ?? []).map((d) => Number(d.size ?? 0));
  const count = shape.reduce((a, b) => a * b, 1);
  const content = tensor.tensor_content && tensor.tensor_content.length > 0 ? tensor.tensor_content : undefined;
  const view = content && new DataView(content.buffer, content.byteOffset, content.byteLength);
  // A short value list is broadcast by repeating its last value (TF's rule for constants).
  const fill = <T extends Float32Array | Int32Array>(out: T, values: ArrayLike<number> | undefined): T => {
    for (let i = 0; i < count; i++) out[i] = values && values.length > 0 ? Number(values[Math.min(i, values.length - 1)]) : 0;
    return out;
  };
  if (dtype === 'DT_FLOAT') {
    if (view) return { dtype: 'float32', shape, data: Float32Array.from({ length: count }, (_, i) => view.getFloat32(i * 4, true)) };
    return { dtype: 'float32', shape, data: fill(new Float32Array(count), tensor.float_val) };
  }
  if (dtype === 'DT_INT32' || dtype === 'DT_INT64') {
    const wide = dtype === 'DT_INT64';
    if (view) return { dtype: 'int32', shape, data: Int32Array.from({ length: count }, (_, i) => (wide ? Number(view.getBigInt64(i * 8, true)) : view.getInt32(i * 4, true))) };
    return { dtype: 'int32', shape, data: fill(new Int32Array(count), (wide ? tensor.int64_val?.map(Number) : tensor.int_val) ?? []) };
  }
  if (dtype === 'DT_QUINT8' || dtype === 'DT_UINT8') {
    return { dtype: 'quint8', shape, data: content ? content.slice() : Uint8Array.from(fill(new Int32Array(count), tensor.int_val)) };
  }
  throw new Error(`Tensor of ${where} has unsupported dtype ${dtype}`);
}

/**
 * OpenCV's reading of a MIN_FIRST uint8 weight: q * s + s * round(min / s)
 * with s = (max - min) / 255 in float32 (TF itself offsets by min exactly;
 * OpenCV's rounding of the offset to a multiple of s is what it runs).
 */
function dequantizeMinFirst(q: Uint8Array, min: number, max: number): Float32Array {
  const scale = Math.fround(Math.fround(max - min) / 255);
  const round = (v: number) => (Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : Math.round(v));
  const offset = scale * round(Math.fround(min / scale));
  return Float32Array.from(q, (v) => v * scale + offset);
}

function attrValue(json: Record<string, unknown>): TfAttrValue {
  const value: TfAttrValue = {};
  if (json.s !== undefined) value.s = Buffer.from(json.s as Uint8Array).toString('base64');
  if (json.i !== undefined) value.i = String(json.i);
  if (json.f !== undefined) value.f = json.f as number;
  if (json.b !== undefined) value.b = json.b as boolean;
  if (json.type !== undefined) value.type = dtypeName(json.type as number);
  if (json.shape !== undefined) value.shape = json.shape as TfAttrValue['shape'];
  const list = json.list as Record<string, unknown[]> | undefined;
  if (list) {
    value.list = {
      ...(list.i ? { i: list.i.map(String) } : {}),
      ...(list.f ? { f: list.f as number[] } : {}),
      ...(list.s ? { s: list.s.map((s) => Buffer.from(s as Uint8Array).toString('base64')) } : {}),
      ...(list.b ? { b: list.b as boolean[] } : {}),
      ...(list.type ? { type: list.type.map((t) => dtypeName(t as number)) } : {}),
    };
  }
  return value;
}

/** Replaces each Dequantize of constants by its float32 value (OpenCV's arithmetic). */
function foldDequantize(nodes: TfNode[], quantized: Map<string, { shape: number[]; data: Uint8Array }>, constants: Map<string, GraphConstant>, source: string): void {
  for (const node of nodes) {
    if (node.op !== 'Dequantize') continue;
    const [tensorRef, minRef, maxRef] = node.input ?? [];
    const q = quantized.get(tensorRef ?? '');
    const min = constants.get(minRef ?? '')?.data[0];
    const max = constants.get(maxRef ?? '')?.data[0];
    const mode = node.attr?.mode?.s ? Buffer.from(node.attr.mode.s, 'base64').toString() : 'MIN_COMBINED';
    if (!q || min === undefined || max === undefined) throw new Error(`Dequantize node "${node.name}" of ${source} needs constant inputs`);
    if (mode !== 'MIN_FIRST') throw new Error(`Dequantize node "${node.name}" of ${source} uses mode ${mode}; only MIN_FIRST is supported`);
    constants.set(node.name, { dtype: 'float32', shape: q.shape, data: dequantizeMinFirst(q.data, min, max) });
  }
}

/**
 * Reads a binary GraphDef.
 *
 * @example
 *   const { nodes, constants } = readGraphDef(bytes, 'frozen.pb');
 */
export function readGraphDef(bytes: Uint8Array, source: string): FrozenGraph {
  graphDefType ??= protobuf.parse(SCHEMA, { keepCase: true }).root.lookupType('GraphDef');
  let decoded: { node?: { name: string; op: string; input?: string[]; attr?: Record<string, Record<string, unknown>> }[] };
  try {
    decoded = graphDefType.toObject(graphDefType.decode(bytes), { longs: String, defaults: false, arrays: true }) as typeof decoded;
  } catch (cause) {
    throw new Error(`${source} is not a binary TensorFlow GraphDef: ${(cause as Error).message}`, { cause });
  }
  const constants = new Map<string, GraphConstant>();
  const quantized = new Map<string, { shape: number[]; data: Uint8Array }>();
  const nodes: TfNode[] = (decoded.node ?? []).map((n) => {
    const attr: Record<string, TfAttrValue> = {};
    for (const [key, value] of Object.entries(n.attr ?? {})) if (!value.tensor) attr[key] = attrValue(value);
    if (n.op === 'Const' && n.attr?.value?.tensor) {
      const tensor = decodeTensor(n.attr.value.tensor as TensorJson, `node "${n.name}" in ${source}`);
      if (tensor.dtype === 'quint8') quantized.set(n.name, tensor);
      else constants.set(n.name, tensor);
    }
    return { name: n.name, op: n.op, input: n.input ?? [], attr };
  });
  foldDequantize(nodes, quantized, constants, source);
  return { source, nodes, constants, rawAttributes: new Map() };
}

function textAttrValue(message: TextMessage): TfAttrValue {
  const value: TfAttrValue = {};
  if (message.has('s')) value.s = Buffer.from(message.string('s', ''), 'latin1').toString('base64');
  if (message.has('i')) value.i = String(message.number('i'));
  if (message.has('f')) value.f = message.number('f');
  if (message.has('b')) value.b = message.boolean('b', false);
  if (message.has('type')) value.type = message.string('type');
  if (message.has('list')) {
    const list = message.message('list');
    value.list = { i: list.numbers('i').map(String), f: list.numbers('f') };
  }
  return value;
}

/** A text-format TensorProto as the binary decoder's object. */
function textTensor(message: TextMessage): TensorJson {
  return {
    dtype: message.string('dtype', 'DT_FLOAT'),
    tensor_shape: { dim: message.message('tensor_shape').messages('dim').map((d) => ({ size: d.number('size', 0) })) },
    float_val: message.numbers('float_val'),
    int_val: message.numbers('int_val'),
    tensor_content: message.has('tensor_content') ? Buffer.from(message.string('tensor_content', ''), 'latin1') : undefined,
  };
}

/**
 * Reads a text GraphDef (`.pbtxt`), e.g. OpenCV's graph description that
 * accompanies a frozen `.pb` and may use OpenCV-only ops (PriorBox, ...).
 *
 * @example
 *   const { nodes, rawAttributes } = readTextGraphDef(text, 'opencv_face_detector.pbtxt');
 */
export function readTextGraphDef(text: string, source: string): FrozenGraph {
  const graph = parseTextFormat(text, source);
  const constants = new Map<string, GraphConstant>();
  const rawAttributes = new Map<string, Map<string, TextMessage>>();
  const nodes = graph.messages('node').map((n): TfNode => {
    const name = n.string('name', '');
    const attr: Record<string, TfAttrValue> = {};
    const raw = new Map<string, TextMessage>();
    for (const entry of n.messages('attr')) {
      const key = entry.string('key', '');
      const value = entry.message('value');
      raw.set(key, value);
      if (!value.has('tensor')) attr[key] = textAttrValue(value);
    }
    rawAttributes.set(name, raw);
    const op = n.string('op', '');
    if (op === 'Const' && raw.get('value')?.has('tensor')) {
      const tensor = decodeTensor(textTensor(raw.get('value')!.message('tensor')), `node "${name}" in ${source}`);
      if (tensor.dtype !== 'quint8') constants.set(name, tensor);
    }
    return { name, op, input: n.strings('input'), attr };
  });
  return { source, nodes, constants, rawAttributes };
}
