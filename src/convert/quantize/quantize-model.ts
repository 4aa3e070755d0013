/**
 * The static int8 quantiser: float32 ONNX bytes in, QDQ ONNX bytes out,
 * using activation ranges measured offline (`npm run calibrate:int8`,
 * stored in calibration-ranges.ts). Pure arithmetic on the graph, so it is
 * deterministic (same bytes in, same bytes out) and takes milliseconds.
 *
 * @example
 *   const int8 = quantizeModel(fp32Bytes, CALIBRATION_RANGES['faceapi-ssd-mobilenetv1']!, { method: 'p99.99', keepFloat: [] });
 */
import type { RangeMethod, TensorRanges } from './activation-ranges.js';
import { ModelGraph } from './model-graph.js';
import { rewriteToQdq, type QdqSummary } from './qdq-rewrite.js';

export interface QuantizeOptions {
  /** Which measured range to quantise each activation to. */
  method: RangeMethod;
  /** Conv node names left in float32 (sensitive layers). */
  keepFloat: readonly string[];
  /** Tensors quantised to their full min/max whatever `method` says (the network's input pixels). */
  fullRange?: readonly string[];
  /** Per-channel bias corrections by Conv node name (measured by bias-correction.ts). */
  biasCorrections?: Readonly<Record<string, ArrayLike<number>>>;
}

/** The names of every Conv node with constant weights, in graph order. */
export function convNodeNames(bytes: Uint8Array): string[] {
  const graph = ModelGraph.decode(bytes);
  return graph.nodes.filter((n) => n.opType === 'Conv' && graph.isInitializer(n.input[1] ?? '')).map((n) => n.name);
}

/**
 * Tensors computed from the graph inputs without any convolution on the
 * way (transpose, pad, mean subtraction): pixels whose exact extremes
 * matter, so their range is never clipped to a percentile.
 */
function inputDerivedTensors(graph: ModelGraph): Set<string> {
  const derived = new Set(graph.inputNames);
  for (const node of graph.nodes) {
    if (node.opType !== 'Conv' && node.input.some((name) => derived.has(name))) for (const out of node.output) derived.add(out);
  }
  return derived;
}

export function quantizeModel(fp32: Uint8Array, ranges: Readonly<Record<string, TensorRanges>>, options: QuantizeOptions): { bytes: Uint8Array; summary: QdqSummary } {
  const graph = ModelGraph.decode(fp32);
  const keep = new Set(options.keepFloat);
  const all = graph.nodes.filter((n) => n.opType === 'Conv').map((n) => n.name);
  for (const name of keep) {
    if (!all.includes(name)) throw new RangeError(`No Conv node "${name}" to keep in float32. Should be one of: ${all.join(', ')}`);
  }
  const fullRange = new Set([...inputDerivedTensors(graph), ...(options.fullRange ?? [])]);
  const summary = rewriteToQdq(graph, {
    convs: new Set(all.filter((name) => !keep.has(name))),
    rangeOf(tensor) {
      const measured = ranges[tensor];
      if (!measured) throw new RangeError(`No calibrated range for tensor "${tensor}": the calibration table is out of date. Run \`npm run calibrate:int8\`.`);
      return measured[fullRange.has(tensor) ? 'minmax' : options.method];
    },
    biasCorrection: (conv) => options.biasCorrections?.[conv],
  });
  return { bytes: graph.encode(), summary };
}
