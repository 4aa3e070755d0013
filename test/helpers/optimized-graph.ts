/**
 * What onnxruntime makes of a model after its graph optimisations: the
 * optimised graph is saved with `optimizedModelFilePath` and its node types
 * counted (e.g. how many QDQ convolutions were fused into `QLinearConv`).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { ModelGraph } from '../../src/convert/quantize/model-graph.js';

/** Node count per op type in the graph onnxruntime runs for `bytes` (full optimisation, CPU). */
export async function optimizedOpCounts(bytes: Uint8Array): Promise<Map<string, number>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'faceread-optimized-'));
  try {
    const file = path.join(dir, 'optimized.onnx');
    const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all', optimizedModelFilePath: file, intraOpNumThreads: 1 });
    await session.release();
    const counts = new Map<string, number>();
    for (const node of ModelGraph.decode(await readFile(file)).nodes) counts.set(node.opType, (counts.get(node.opType) ?? 0) + 1);
    return counts;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
