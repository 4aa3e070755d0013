/**
 * State shared by the op handlers while one graph is converted: the ONNX
 * builder, the value of every TF tensor seen so far, and the layout each
 * 4-D tensor is kept in.
 *
 * TF graphs are NHWC; ONNX's Conv and pooling want NCHW. Rather than wrap
 * every conv in a Transpose pair, a 4-D value remembers which layouts it
 * already exists in (`names.tf`, `names.nchw`). Layout-agnostic ops
 * (elementwise, activations) keep whatever layout they get, so a chain of
 * conv / add / relu / pool stays NCHW and a Transpose appears only where an
 * op really needs TF order (Reshape, Softmax, a graph output...).
 */
import { GraphBuilder, int, ints, type ElementType } from '../onnx/graph-builder.js';
import type { TfNode } from './model-json.js';

/** TF dtypes this converter carries; int32 stays int32 in ONNX as in TF. */
export type ValueType = 'float32' | 'int32' | 'int64' | 'bool';

/** A tensor known at conversion time (a Const node), in TF layout. */
export interface ConstantData {
  readonly data: Float32Array | Int32Array;
  readonly shape: readonly number[];
}

/** A TF tensor during conversion. At least one name is set unless `constant` is. */
export interface Value {
  readonly dtype: ValueType;
  /** Rank when known; needed to move 4-D tensors between layouts. */
  readonly rank?: number;
  readonly constant?: ConstantData;
  /** ONNX tensor names holding this value, per layout; filled lazily. */
  readonly names: { tf?: string; nchw?: string };
}

/** Permutations between TF's NHWC and ONNX's NCHW. */
export const NHWC_TO_NCHW = [0, 3, 1, 2] as const;
export const NCHW_TO_NHWC = [0, 2, 3, 1] as const;

/** Where TF axis `axis` of a 4-D NHWC tensor sits in its NCHW copy. */
export function nchwAxis(axis: number): number {
  return NHWC_TO_NCHW.indexOf(axis as 0 | 1 | 2 | 3);
}

/** Reorders a constant's elements by `perm` (numpy-style transpose). */
export function transposeConstant(constant: ConstantData, perm: readonly number[]): ConstantData {
  const { data, shape } = constant;
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = stridesOf(shape);
  const out = new (data.constructor as Float32ArrayConstructor | Int32ArrayConstructor)(data.length);
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let source = 0;
    for (let d = 0; d < rank; d++) source += index[d]! * inStrides[perm[d]!]!;
    out[o] = data[source]!;
    for (let d = rank - 1; d >= 0; d--) {
      if (++index[d]! < outShape[d]!) break;
      index[d] = 0;
    }
  }
  return { data: out, shape: outShape };
}

function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) strides[d] = strides[d + 1]! * shape[d + 1]!;
  return strides;
}

/** TensorProto.DataType code of int64, for Cast. */
const ONNX_INT64 = 7;

const ONNX_TYPE: Record<ValueType, ElementType | undefined> = { float32: 'float32', int32: 'int32', int64: 'int64', bool: undefined };

export class ConversionContext {
  private readonly values = new Map<string, Value>();

  constructor(
    readonly builder: GraphBuilder,
    readonly source: string,
  ) {}

  /** Records the outputs of `node` (output k is referenced as `name:k`, output 0 also as `name`). */
  define(node: TfNode, outputs: readonly Value[]): void {
    outputs.forEach((value, k) => this.values.set(`${node.name}:${k}`, value));
  }

  /** The value behind a GraphDef input reference (`node`, `node:k`). */
  value(ref: string): Value {
    const key = ref.includes(':') ? ref : `${ref}:0`;
    const value = this.values.get(key);
    if (!value) throw new Error(`Tensor "${ref}" is used before it is defined in ${this.source}`);
    return value;
  }

  /** The data inputs of `node` (control inputs `^x` dropped). */
  inputs(node: TfNode): Value[] {
    return dataInputs(node).map((ref) => this.value(ref));
  }

  /** The constant behind input `index` of `node`; throws if it is computed at run time. */
  constantInput(node: TfNode, index: number): ConstantData {
    const ref = dataInputs(node)[index];
    const constant = ref === undefined ? undefined : this.value(ref).constant;
    if (!constant) {
      throw new Error(`Input ${index} of node "${node.name}" (${node.op}) in ${this.source} must be a constant`);
    }
    return constant;
  }

  /** The ONNX tensor name holding `value` in TF layout, adding a Transpose or initializer when needed. */
  tf(value: Value): string {
    const names = value.names;
    if (names.tf) return names.tf;
    if (value.constant) {
      names.tf = this.builder.constant('const', value.constant.data, value.constant.shape);
    } else if (names.nchw) {
      names.tf = this.builder.op('Transpose', [names.nchw], { perm: ints(NCHW_TO_NHWC) }, 'to_nhwc');
    } else {
      throw new Error(`A value in ${this.source} has no ONNX tensor (converter bug)`);
    }
    return names.tf;
  }

  /** The ONNX tensor name holding 4-D `value` in NCHW layout. */
  nchw(value: Value): string {
    const names = value.names;
    if (names.nchw) return names.nchw;
    if (value.rank !== 4) throw new Error(`Only 4-D tensors have an NCHW layout (got rank ${value.rank ?? 'unknown'}) in ${this.source}`);
    if (value.constant) {
      const permuted = transposeConstant(value.constant, NHWC_TO_NCHW);
      names.nchw = this.builder.constant('const_nchw', permuted.data, permuted.shape);
    } else {
      names.nchw = this.builder.op('Transpose', [this.tf(value)], { perm: ints(NHWC_TO_NCHW) }, 'to_nchw');
    }
    return names.nchw;
  }

  /**
   * `value` as an operand broadcast against a 4-D tensor kept in `layout`.
   * TF broadcasting aligns trailing axes, so a per-channel vector [C] must
   * become [C, 1, 1] (via [1, 1, 1, C] permuted) next to an NCHW tensor.
   */
  broadcastOperand(value: Value, layout: 'tf' | 'nchw'): string {
    if (layout === 'tf' || value.rank === 0) return this.tf(value);
    if (value.rank === 4) return this.nchw(value);
    if (value.constant) {
      const shape = [...new Array<number>(4 - value.constant.shape.length).fill(1), ...value.constant.shape];
      const permuted = transposeConstant({ data: value.constant.data, shape }, NHWC_TO_NCHW);
      return this.builder.constant('const_nchw', permuted.data, permuted.shape);
    }
    if (value.rank === undefined || value.rank > 4) {
      throw new Error(`Cannot broadcast a tensor of rank ${value.rank ?? 'unknown'} against an NCHW tensor in ${this.source}`);
    }
    const leading = Array.from({ length: 4 - value.rank }, (_, i) => i);
    const expanded = this.builder.op('Unsqueeze', [this.tf(value), this.builder.int64s(leading)]);
    return this.builder.op('Transpose', [expanded], { perm: ints(NHWC_TO_NCHW) }, 'to_nchw');
  }

  /** True when the value is only (or already) available as NCHW, so NCHW consumers avoid a Transpose. */
  isNchw(value: Value): boolean {
    return value.names.nchw !== undefined;
  }

  /** An int64 tensor name for an integer value (ONNX shape/axes inputs are int64; TF uses int32). */
  int64(value: Value): string {
    if (value.constant) return this.builder.int64s(Array.from(value.constant.data));
    if (value.dtype === 'int64') return this.tf(value);
    return this.builder.op('Cast', [this.tf(value)], { to: int(ONNX_INT64) }, 'to_int64');
  }

  /** ONNX element type of a value, for graph inputs and outputs. */
  elementType(value: Value): ElementType {
    const type = ONNX_TYPE[value.dtype];
    if (!type) throw new Error(`Graph inputs and outputs of type ${value.dtype} are not supported (${this.source})`);
    return type;
  }
}

/** Input references that carry data (control dependencies `^name` dropped). */
export function dataInputs(node: TfNode): string[] {
  return (node.input ?? []).filter((ref) => !ref.startsWith('^'));
}

/** A computed value held in one layout. */
export function computed(dtype: ValueType, rank: number | undefined, name: string, layout: 'tf' | 'nchw' = 'tf'): Value {
  return { dtype, rank, names: layout === 'tf' ? { tf: name } : { nchw: name } };
}
