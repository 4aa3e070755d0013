/**
 * Empirical bias correction for quantised convolutions: int8 rounding of
 * many layers adds up to a systematic shift in some outputs (measured on
 * the SSD: box width encodings -0.05 on average on detected faces, boxes
 * ~1% narrower, which moved face-api's age answers on the crops). The
 * shift is measured per output channel on calibration inputs (float32
 * output minus simulated-int8 output) and added to that convolution's bias
 * before it is quantised.
 *
 * A detector head's plain average is dominated by background positions,
 * where the shift differs from the one on faces (on the SSD it came out ten
 * times too large for faces), so with `weighting` only positions whose
 * anchor holds a face by the float32 output count (its positives; soft
 * weights let thousands of near-zero background probabilities win again).
 */
import type { InferenceSession } from 'onnxruntime-node';
import ort from '../../engine/ort.js';
import type { Feeds } from './collect-ranges.js';
import { ModelGraph } from './model-graph.js';

/** Count channel c at a position only where sigmoid(channel ⌊c / groupSize⌋ · groupSize + scoreChannel) of the float32 output passes minProbability. */
export interface CorrectionWeighting {
  groupSize: number;
  scoreChannel: number;
  minProbability: number;
  /** Pseudo-count of zero shift, so a rarely active anchor gets a small correction, not a noisy one. */
  prior: number;
}

async function exposing(bytes: Uint8Array, convs: readonly string[]): Promise<{ session: InferenceSession; outputs: string[] }> {
  const graph = ModelGraph.decode(bytes);
  const outputs = convs.map((name) => {
    const node = graph.nodes.find((n) => n.name === name && n.opType === 'Conv');
    if (!node) throw new RangeError(`No Conv node "${name}" to correct`);
    return node.output[0]!;
  });
  graph.exposeTensors(outputs);
  // Unoptimised: the Q/DQ pairs stay as they are (int8 simulated in float), so the conv outputs exist.
  return { session: await ort.InferenceSession.create(graph.encode(), { graphOptimizationLevel: 'disabled', intraOpNumThreads: 2 }), outputs };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * The bias corrections of `convs`: float32 output minus int8 output, per channel, averaged
 * over `feeds` (weighted as `weighting` says).
 *
 * @example
 *   const corrections = await measureBiasCorrections(fp32, int8, ['Prediction/BoxPredictor_0/node'], feeds);
 *   corrections['Prediction/BoxPredictor_0/node']; // [0.001, -0.02, ...]
 */
export async function measureBiasCorrections(
  fp32: Uint8Array,
  int8: Uint8Array,
  convs: readonly string[],
  feeds: readonly Feeds[],
  weighting?: CorrectionWeighting,
): Promise<Record<string, number[]>> {
  const reference = await exposing(fp32, convs);
  const quantized = await exposing(int8, convs);
  const sums = convs.map(() => ({ weighted: new Float64Array(0), weights: new Float64Array(0) }));
  try {
    for (const feed of feeds) {
      const f = await reference.session.run(feed, reference.outputs);
      const q = await quantized.session.run(feed, quantized.outputs);
      convs.forEach((_, i) => {
        const ft = f[reference.outputs[i]!]!;
        const fd = ft.data as Float32Array;
        const qd = q[quantized.outputs[i]!]!.data as Float32Array;
        const [batch, channels, h, w] = ft.dims as [number, number, number, number];
        const sum = sums[i]!;
        if (sum.weighted.length === 0) sum.weighted = new Float64Array(channels), sum.weights = new Float64Array(channels);
        const plane = h * w;
        for (let b = 0; b < batch; b++) {
          for (let c = 0; c < channels; c++) {
            const offset = (b * channels + c) * plane;
            const scoreOffset = weighting ? (b * channels + Math.floor(c / weighting.groupSize) * weighting.groupSize + weighting.scoreChannel) * plane : 0;
            for (let p = 0; p < plane; p++) {
              const weight = weighting ? (sigmoid(fd[scoreOffset + p]!) > weighting.minProbability ? 1 : 0) : 1;
              sum.weighted[c]! += weight * (fd[offset + p]! - qd[offset + p]!);
              sum.weights[c]! += weight;
            }
          }
        }
      });
      for (const value of [...Object.values(f), ...Object.values(q)]) value.dispose();
    }
  } finally {
    await reference.session.release();
    await quantized.session.release();
  }
  const prior = weighting?.prior ?? 0;
  return Object.fromEntries(convs.map((conv, i) => [conv, [...sums[i]!.weighted].map((s, c) => Number((s / (sums[i]!.weights[c]! + prior)).toPrecision(4)))]));
}
