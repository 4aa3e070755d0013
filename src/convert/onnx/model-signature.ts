/**
 * The inputs and outputs of an ONNX model (names and shapes), read either
 * from the model's bytes or from a loaded onnxruntime session, so import
 * checks can say what a file offers before anything runs.
 *
 * @example
 *   const { inputs, outputs } = modelSignature(readFileSync('face_detection_yunet_2023mar.onnx'));
 *   // inputs: [{ name: 'input', shape: [1, 3, 640, 640] }], outputs: [{ name: 'cls_8', shape: [1, 6400, 1] }, ...]
 */
import type { InferenceSession } from 'onnxruntime-node';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** A dimension: a size, a symbolic name, or null when the file records neither. */
export type SignatureDim = number | string | null;

export interface TensorSignature {
  name: string;
  /** Null when the file records no shape for this tensor. */
  shape: SignatureDim[] | null;
}

export interface ModelSignature {
  inputs: TensorSignature[];
  outputs: TensorSignature[];
}

interface ValueInfo {
  name: string;
  type?: { tensorType?: { shape?: { dim: { dimValue?: unknown; dimParam?: string | null }[] } | null } | null } | null;
}

function dimension(d: { dimValue?: unknown; dimParam?: string | null }): SignatureDim {
  if (d.dimParam) return d.dimParam;
  if (d.dimValue !== undefined && d.dimValue !== null) return Number(d.dimValue);
  return null;
}

function tensor(info: ValueInfo): TensorSignature {
  const shape = info.type?.tensorType?.shape;
  return { name: info.name, shape: shape ? shape.dim.map(dimension) : null };
}

/** The graph's inputs (initializers excluded, as older exporters list weights as inputs) and outputs. */
export function modelSignature(bytes: Uint8Array): ModelSignature {
  let model;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (cause) {
    throw new Error(`The file is not an ONNX model (${(cause as Error).message})`, { cause });
  }
  const graph = model.graph as unknown as { input: ValueInfo[]; output: ValueInfo[]; initializer: { name: string }[] } | null;
  if (!graph) throw new Error('The file is not an ONNX model: it has no graph');
  const constants = new Set(graph.initializer.map((t) => t.name));
  return { inputs: graph.input.filter((i) => !constants.has(i.name)).map(tensor), outputs: graph.output.map(tensor) };
}

/** The same from a loaded session (onnxruntime's metadata). */
export function sessionSignature(session: Pick<InferenceSession, 'inputMetadata' | 'outputMetadata'>): ModelSignature {
  const read = (m: InferenceSession.ValueMetadata): TensorSignature => ({ name: m.name, shape: m.isTensor ? [...m.shape] : null });
  return { inputs: session.inputMetadata.map(read), outputs: session.outputMetadata.map(read) };
}

/** A shape as people write it: `[1, 3, H, W]`, `?` for an unrecorded dimension. */
export function describeShape(shape: readonly SignatureDim[] | null): string {
  return shape ? `[${shape.map((d) => d ?? '?').join(', ')}]` : '(no shape recorded)';
}

/** One line listing tensors and their shapes, for error messages. */
export function describeTensors(tensors: readonly TensorSignature[]): string {
  return tensors.length === 0 ? 'none' : tensors.map((t) => `${t.name} ${describeShape(t.shape)}`).join(', ');
}
