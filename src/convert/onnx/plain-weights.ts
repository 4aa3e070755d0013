/**
 * Older PyTorch exporters (opset 9, e.g. UltraFace's files) list every
 * weight as a graph input too, and keep BatchNorm counters no node reads.
 * onnxruntime then treats the weights as overridable (no constant folding)
 * and prints a warning per weight. Dropping those inputs and the unused
 * initializers leaves the weights as plain initializers.
 *
 * @example
 *   const clean = withPlainWeights(readFileSync('version-RFB-320.onnx'));
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** `bytes` without graph inputs that name an initializer nor unused initializers; the same bytes when there are none. */
export function withPlainWeights(bytes: Uint8Array): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph as unknown as { input: { name: string }[]; output: { name: string }[]; initializer: { name: string }[]; node: { input: string[] }[] };
  const weights = new Set(graph.initializer.map((t) => t.name));
  const read = new Set([...graph.node.flatMap((n) => n.input), ...graph.output.map((o) => o.name)]);
  const inputs = graph.input.filter((i) => !weights.has(i.name));
  const initializers = graph.initializer.filter((t) => read.has(t.name));
  if (inputs.length === graph.input.length && initializers.length === graph.initializer.length) return bytes;
  graph.input = inputs;
  graph.initializer = initializers;
  // IR version 4 and later allow initializers that are not inputs.
  if (Number(model.irVersion) < 4) model.irVersion = 4;
  return onnx.ModelProto.encode(model).finish();
}
