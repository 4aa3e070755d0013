/**
 * One ONNX graph builder and writer shared by every converter (face-api,
 * TF.js graph models, Caffe). Converters add inputs, constant weights and
 * nodes; `serialize()` writes a ModelProto that onnxruntime loads.
 *
 * @example
 *   const g = new GraphBuilder('tiny');
 *   const x = g.input('input', [1, 3, 'h', 'w']);
 *   const w = g.constant('conv_w', weights, [16, 3, 3, 3]);
 *   const y = g.op('Conv', [x, w], { pads: ints([1, 1, 1, 1]) });
 *   g.output(g.op('Relu', [y]), 'features');
 *   fs.writeFileSync('tiny.onnx', g.serialize());
 */
import onnxProto from 'onnx-proto';
import { CONVERTER_VERSION } from '../converter-version.js';

const { onnx } = onnxProto;
export { CONVERTER_VERSION };

/** ONNX opset every converter targets (onnxruntime 1.30 supports it fully). */
export const OPSET = 17;

export type Dim = number | string;
export type ElementType = 'float32' | 'int64' | 'int32';

/** A typed attribute value; build them with `int`, `ints`, `float`, `floats`, `str`. */
export type Attribute =
  | { kind: 'int'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'float'; value: number }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'string'; value: string };

export const int = (value: number): Attribute => ({ kind: 'int', value });
export const ints = (value: readonly number[]): Attribute => ({ kind: 'ints', value });
export const float = (value: number): Attribute => ({ kind: 'float', value });
export const floats = (value: readonly number[]): Attribute => ({ kind: 'floats', value });
export const str = (value: string): Attribute => ({ kind: 'string', value });

type TensorData = Float32Array | Int32Array | BigInt64Array;

const ELEMENT_TYPE_CODE: Record<ElementType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
};

function elementTypeOf(data: TensorData): ElementType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  return 'int64';
}

function valueInfo(name: string, type: ElementType, dims: readonly Dim[] | undefined) {
  const tensorType: Record<string, unknown> = { elemType: ELEMENT_TYPE_CODE[type] };
  if (dims) {
    tensorType.shape = {
      dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
    };
  }
  return { name, type: { tensorType } };
}

function attributeProto(name: string, attribute: Attribute) {
  const A = onnx.AttributeProto.AttributeType;
  switch (attribute.kind) {
    case 'int':
      return { name, type: A.INT, i: attribute.value };
    case 'ints':
      return { name, type: A.INTS, ints: [...attribute.value] };
    case 'float':
      return { name, type: A.FLOAT, f: attribute.value };
    case 'floats':
      return { name, type: A.FLOATS, floats: [...attribute.value] };
    case 'string':
      return { name, type: A.STRING, s: new TextEncoder().encode(attribute.value) };
  }
}

export class GraphBuilder {
  private readonly nodes: object[] = [];
  private readonly initializers: object[] = [];
  private readonly inputs: object[] = [];
  private readonly outputs: object[] = [];
  private readonly usedNames = new Set<string>();
  private readonly scalarCache = new Map<string, string>();

  constructor(readonly graphName: string) {}

  /** A unique tensor name derived from `hint` (ONNX names must be unique). */
  uniqueName(hint: string): string {
    const base = hint.replace(/[^A-Za-z0-9_./:-]/g, '_') || 't';
    let name = base;
    for (let i = 1; this.usedNames.has(name); i++) name = `${base}_${i}`;
    this.usedNames.add(name);
    return name;
  }

  /** Declares a graph input; returns its tensor name (exactly `name`). */
  input(name: string, dims: readonly Dim[], type: ElementType = 'float32'): string {
    if (this.usedNames.has(name)) throw new RangeError(`Graph input name "${name}" is already used`);
    this.usedNames.add(name);
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** Marks `tensor` as a graph output named `name` (an Identity node renames it). */
  output(tensor: string, name: string, dims?: readonly Dim[], type: ElementType = 'float32'): string {
    if (this.usedNames.has(name)) throw new RangeError(`Graph output name "${name}" is already used`);
    this.usedNames.add(name);
    this.nodes.push({ opType: 'Identity', input: [tensor], output: [name], name: `${name}/identity` });
    this.outputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** A constant tensor (stored as an initializer); returns its tensor name. */
  constant(hint: string, data: TensorData, dims: readonly number[]): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== data.length) {
      throw new RangeError(`Constant "${hint}" has ${data.length} values but shape [${dims.join(', ')}] needs ${count}`);
    }
    const name = this.uniqueName(hint);
    const type = elementTypeOf(data);
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.initializers.push({ name, dims: [...dims], dataType: ELEMENT_TYPE_CODE[type], rawData: bytes.slice() });
    return name;
  }

  /** A 1-D int64 constant (shapes, axes, pads), cached by value. */
  int64s(values: readonly number[]): string {
    const key = `i64:${values.join(',')}`;
    let name = this.scalarCache.get(key);
    if (!name) {
      name = this.constant('const_i64', BigInt64Array.from(values.map((v) => BigInt(v))), [values.length]);
      this.scalarCache.set(key, name);
    }
    return name;
  }

  /** A float32 constant of the given shape (default a scalar), cached by value. */
  floats32(values: readonly number[], dims: readonly number[] = values.length === 1 ? [] : [values.length]): string {
    const key = `f32:${dims.join('x')}:${values.join(',')}`;
    let name = this.scalarCache.get(key);
    if (!name) {
      name = this.constant('const_f32', Float32Array.from(values), dims);
      this.scalarCache.set(key, name);
    }
    return name;
  }

  /**
   * Adds a node and returns the names of its `outputCount` outputs.
   * Use an empty string in `inputs` for an omitted optional input.
   */
  node(opType: string, inputs: readonly string[], attributes: Record<string, Attribute> = {}, outputCount = 1, hint?: string): string[] {
    const base = hint ?? opType;
    const outputs = Array.from({ length: outputCount }, (_, i) => this.uniqueName(outputCount === 1 ? base : `${base}:${i}`));
    this.nodes.push({
      opType,
      name: this.uniqueName(`${base}/node`),
      input: [...inputs],
      output: outputs,
      attribute: Object.entries(attributes).map(([k, v]) => attributeProto(k, v)),
    });
    return outputs;
  }

  /** A node with exactly one output; returns its name. */
  op(opType: string, inputs: readonly string[], attributes: Record<string, Attribute> = {}, hint?: string): string {
    return this.node(opType, inputs, attributes, 1, hint)[0]!;
  }

  /** The ModelProto as bytes, ready to write to a `.onnx` file. */
  serialize(docString = ''): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'faceread',
      producerVersion: String(CONVERTER_VERSION),
      docString,
      opsetImport: [{ domain: '', version: OPSET }],
      graph: {
        name: this.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
