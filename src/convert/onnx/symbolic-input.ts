/**
 * Frees the image size of an ONNX model exported with a fixed one: many
 * detectors are exported at one size (YuNet 2022mar at 160x120, 2023mar at
 * 640x640) though every operator in them works at any size. Rewriting the
 * image input's height and width to symbolic dimensions, and dropping the
 * shapes the exporter recorded for intermediate and output tensors, lets
 * onnxruntime run the same weights at each photo's own size. Whether a graph
 * really allows it is for the caller to check (run it at another size).
 *
 * @example
 *   const free = withSymbolicImageSize(readFileSync('face_detection_yunet_2023mar.onnx'));
 *   // free's input is [1, 3, 'height', 'width']
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** The names the rewritten input's free dimensions get. */
export const SYMBOLIC_HEIGHT = 'height';
export const SYMBOLIC_WIDTH = 'width';

interface Dimension {
  dimValue?: number | Long | null;
  dimParam?: string | null;
}
type Long = { toNumber(): number };

interface TypedValue {
  name: string;
  type?: { tensorType?: { shape?: { dim: Dimension[] } | null } | null } | null;
}

/**
 * `bytes` with the first graph input's last two dimensions (NCHW height and width) made symbolic.
 * Throws a RangeError when that input is not 4-dimensional.
 */
export function withSymbolicImageSize(bytes: Uint8Array): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph as unknown as { input: TypedValue[]; output: TypedValue[]; valueInfo: TypedValue[]; initializer: { name: string }[] };
  const constants = new Set(graph.initializer.map((t) => t.name));
  const input = graph.input.find((i) => !constants.has(i.name));
  const dims = input?.type?.tensorType?.shape?.dim;
  if (!input || !dims || dims.length !== 4) {
    throw new RangeError(`Expected a 4-dimensional image input (N, C, H, W) but received ${input ? `"${input.name}" with ${dims?.length ?? 0} dimensions` : 'no graph input'}`);
  }
  dims[2] = { dimParam: SYMBOLIC_HEIGHT };
  dims[3] = { dimParam: SYMBOLIC_WIDTH };
  // Shapes recorded at the export size would contradict the ones onnxruntime infers at another size.
  graph.valueInfo = [];
  for (const output of graph.output) if (output.type?.tensorType) output.type.tensorType.shape = null;
  return onnx.ModelProto.encode(model).finish();
}
