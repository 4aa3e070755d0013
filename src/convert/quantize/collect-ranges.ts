/**
 * Calibration's measuring step: runs the float32 model in onnxruntime on
 * calibration inputs with the tensors of interest exposed as outputs, and
 * records each one's range (min/max and tail percentiles). Two passes over
 * the inputs: extents first, then histograms over those extents.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import ort from '../../engine/ort.js';
import { RangeAccumulator, type TensorRanges } from './activation-ranges.js';
import { ModelGraph } from './model-graph.js';

export type Feeds = Record<string, Tensor>;

/**
 * The activation tensors a QDQ rewrite may need a range for: every float
 * tensor a Conv reads or writes, and the outputs of the ReLU/Clip nodes
 * that follow convolutions.
 */
export function calibrationTensors(graph: ModelGraph): string[] {
  const consumers = graph.consumers();
  const names = new Set<string>();
  for (const node of graph.nodes) {
    if (node.opType !== 'Conv') continue;
    names.add(node.input[0]!);
    names.add(node.output[0]!);
    for (const reader of consumers.get(node.output[0]!) ?? []) {
      if (reader.opType === 'Relu' || reader.opType === 'Clip') names.add(reader.output[0]!);
    }
  }
  return [...names].filter((name) => !graph.isInitializer(name));
}

/**
 * Every calibration tensor's ranges over `feeds`.
 *
 * @example
 *   const ranges = await collectRanges(fp32Bytes, [{ image: tensor1 }, { image: tensor2 }]);
 *   ranges['MobilenetV1/Conv2d_1_pointwise/relu6']['p99.99']; // [0, 4.1]
 */
export async function collectRanges(modelBytes: Uint8Array, feeds: readonly Feeds[]): Promise<Record<string, TensorRanges>> {
  const graph = ModelGraph.decode(modelBytes);
  const tensors = calibrationTensors(graph);
  graph.exposeTensors(tensors);
  // No graph optimisation: fusions would rename or remove the intermediate tensors asked for.
  const session: InferenceSession = await ort.InferenceSession.create(graph.encode(), { graphOptimizationLevel: 'disabled', intraOpNumThreads: 2 });
  const accumulators = new Map(tensors.map((t) => [t, new RangeAccumulator()]));
  try {
    for (const pass of ['extent', 'histogram'] as const) {
      for (const feed of feeds) {
        const outputs = await session.run(feed, tensors);
        for (const [name, accumulator] of accumulators) {
          const values = outputs[name]!.data as Float32Array;
          if (pass === 'extent') accumulator.observeExtent(values);
          else accumulator.observeHistogram(values);
        }
        for (const value of Object.values(outputs)) value.dispose();
      }
    }
  } finally {
    await session.release();
  }
  return Object.fromEntries([...accumulators].map(([name, accumulator]) => [name, accumulator.ranges()]));
}
