/**
 * A converted ONNX model opened for rewriting: its nodes, initializers
 * and graph inputs/outputs as plain protobuf objects, with the lookups a
 * graph pass needs (who produces a tensor, who reads it, a constant's
 * float values). The quantiser works on the bytes every converter already
 * writes, so it applies to any model built with `GraphBuilder`.
 *
 * @example
 *   const graph = ModelGraph.decode(bytes);
 *   const convs = graph.nodes.filter((n) => n.opType === 'Conv');
 *   fs.writeFileSync('out.onnx', graph.encode());
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export type NodeProto = InstanceType<typeof onnx.NodeProto>;
export type TensorProto = InstanceType<typeof onnx.TensorProto>;
export type ModelProto = InstanceType<typeof onnx.ModelProto>;

export const DATA_TYPE = onnx.TensorProto.DataType;

type Integers = Int8Array | Uint8Array | Int32Array;

/** The graph as onnx-proto decodes it (its generated types make every field optional). */
interface Graph {
  node: NodeProto[];
  initializer: TensorProto[];
  input: { name: string }[];
  output: { name: string }[];
}

export class ModelGraph {
  private readonly initializerByName = new Map<string, TensorProto>();
  private readonly usedNames = new Set<string>();

  private constructor(readonly model: ModelProto) {
    const graph = this.graph;
    for (const init of graph.initializer) {
      this.initializerByName.set(init.name, init);
      this.usedNames.add(init.name);
    }
    for (const node of graph.node) {
      for (const name of [...node.output, node.name]) this.usedNames.add(name);
    }
    for (const info of [...graph.input, ...graph.output]) this.usedNames.add(info.name);
  }

  static decode(bytes: Uint8Array): ModelGraph {
    return new ModelGraph(onnx.ModelProto.decode(bytes));
  }

  get graph(): Graph {
    return this.model.graph as unknown as Graph;
  }

  get nodes(): NodeProto[] {
    return this.graph.node;
  }

  set nodes(nodes: NodeProto[]) {
    this.graph.node = nodes;
  }

  get inputNames(): string[] {
    return this.graph.input.map((i) => i.name);
  }

  get outputNames(): string[] {
    return this.graph.output.map((o) => o.name);
  }

  /** A tensor name not used anywhere in the graph yet, derived from `hint`. */
  uniqueName(hint: string): string {
    let name = hint;
    for (let i = 1; this.usedNames.has(name); i++) name = `${hint}_${i}`;
    this.usedNames.add(name);
    return name;
  }

  isInitializer(name: string): boolean {
    return this.initializerByName.has(name);
  }

  /** The float32 values of an initializer (converters write them as raw little-endian bytes). */
  floatInitializer(name: string): { data: Float32Array; dims: number[] } {
    const init = this.initializerByName.get(name);
    if (!init) throw new RangeError(`"${name}" is not a constant of the graph`);
    if (init.dataType !== DATA_TYPE.FLOAT) throw new RangeError(`Constant "${name}" is not float32 (data type ${init.dataType})`);
    const dims = init.dims.map(Number);
    let data: Float32Array;
    if (init.rawData && init.rawData.length > 0) {
      const raw = init.rawData;
      data = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    } else {
      data = Float32Array.from(init.floatData);
    }
    return { data, dims };
  }

  /** Adds a constant of `data`'s integer or float type; returns its (unique) name. */
  addInitializer(hint: string, data: Integers | Float32Array, dims: readonly number[]): string {
    const name = this.uniqueName(hint);
    const dataType =
      data instanceof Float32Array ? DATA_TYPE.FLOAT
      : data instanceof Int8Array ? DATA_TYPE.INT8
      : data instanceof Uint8Array ? DATA_TYPE.UINT8
      : DATA_TYPE.INT32;
    const rawData = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    const init = onnx.TensorProto.create({ name, dims: [...dims], dataType, rawData });
    this.graph.initializer.push(init);
    this.initializerByName.set(name, init);
    return name;
  }

  /** Drops initializers that no node reads any more (the float weights a quantised conv replaced). */
  pruneInitializers(): void {
    const read = new Set(this.nodes.flatMap((n) => n.input));
    const graph = this.graph;
    graph.initializer = graph.initializer.filter((init) => {
      const keep = read.has(init.name) || this.outputNames.includes(init.name);
      if (!keep) this.initializerByName.delete(init.name);
      return keep;
    });
  }

  /** Builds a node (not yet in the graph). */
  static node(opType: string, input: readonly string[], output: readonly string[], name: string, attribute: object[] = []): NodeProto {
    return onnx.NodeProto.create({ opType, input: [...input], output: [...output], name, attribute });
  }

  /** The node producing each tensor. */
  producers(): Map<string, NodeProto> {
    const map = new Map<string, NodeProto>();
    for (const node of this.nodes) for (const out of node.output) map.set(out, node);
    return map;
  }

  /** The nodes reading each tensor (a node reading it twice is listed twice). */
  consumers(): Map<string, NodeProto[]> {
    const map = new Map<string, NodeProto[]>();
    for (const node of this.nodes) {
      for (const input of node.input) {
        if (!input) continue;
        const list = map.get(input) ?? [];
        list.push(node);
        map.set(input, list);
      }
    }
    return map;
  }

  /** The float attribute value of a node, or `fallback`. */
  static floatAttribute(node: NodeProto, name: string, fallback: number): number {
    const found = node.attribute.find((a) => a.name === name);
    return found ? Number(found.f) : fallback;
  }

  /** Declares `tensors` as extra float graph outputs (for calibration: onnxruntime only returns outputs). */
  exposeTensors(tensors: readonly string[]): void {
    const graph = this.graph;
    const present = new Set(this.outputNames);
    for (const name of tensors) {
      if (present.has(name)) continue;
      graph.output.push(onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: DATA_TYPE.FLOAT } } }));
      present.add(name);
    }
  }

  /**
   * Orders nodes so each comes after the producers of its inputs (ONNX
   * requires it; rewrites append nodes at the end).
   */
  sortTopologically(): void {
    const available = new Set<string>([...this.inputNames, ...this.initializerByName.keys(), '']);
    const pending = [...this.nodes];
    const sorted: NodeProto[] = [];
    while (pending.length > 0) {
      const before = pending.length;
      for (let i = 0; i < pending.length; ) {
        const node = pending[i]!;
        if (node.input.every((name) => available.has(name))) {
          sorted.push(node);
          for (const out of node.output) available.add(out);
          pending.splice(i, 1);
        } else {
          i++;
        }
      }
      if (pending.length === before) throw new Error(`The graph has a cycle or a missing input at node ${pending[0]!.name}`);
    }
    this.nodes = sorted;
  }

  encode(): Uint8Array {
    return onnx.ModelProto.encode(this.model).finish();
  }
}
