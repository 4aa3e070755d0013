/**
 * Small attribute networks made with the project's ONNX builder, with the
 * input and output signatures of real ones (InsightFace's genderage:
 * [N, 3, 96, 96] -> [N, 3]) and outputs a test can compute on its own:
 * each output is `weights x (the input's per-channel means) + bias`.
 */
import { GraphBuilder, int, ints } from '../../src/convert/onnx/graph-builder.js';

export interface LinearOutput {
  name: string;
  /** One row of three channel weights per value. */
  weights: readonly (readonly [number, number, number])[];
  bias: readonly number[];
}

export interface LinearModelOptions {
  inputName?: string;
  /** [width, height]. */
  size: readonly [number, number];
  layout?: 'nchw' | 'nhwc';
  /** A fixed batch size, or a free one (default). */
  batch?: number;
  outputs: readonly LinearOutput[];
  /** Start the graph as mxnet exports of InsightFace's models do: `_minus` 127.5 then `_mul` 1/128. */
  normaliseInGraph?: boolean;
}

/** The model's bytes. */
export function linearAttributeModel(options: LinearModelOptions): Uint8Array {
  const g = new GraphBuilder('linear-attributes');
  const [width, height] = options.size;
  const layout = options.layout ?? 'nchw';
  const batch = options.batch ?? 'N';
  let x = g.input(options.inputName ?? 'data', layout === 'nchw' ? [batch, 3, height, width] : [batch, height, width, 3]);
  if (options.normaliseInGraph) {
    x = g.op('Sub', [x, g.floats32([127.5])], {}, '_minus0');
    x = g.op('Mul', [x, g.floats32([1 / 128])], {}, '_mul0');
  }
  // Per-channel means, [N, 3].
  const means = layout === 'nchw' ? g.op('Flatten', [g.op('GlobalAveragePool', [x])], { axis: int(1) }) : g.op('ReduceMean', [x], { axes: ints([1, 2]), keepdims: int(0) });
  for (const output of options.outputs) {
    const k = output.weights.length;
    // Gemm's B is [3, k]: column j holds the weights of value j.
    const b = Float32Array.from({ length: 3 * k }, (_, i) => output.weights[i % k]![Math.floor(i / k)]!);
    const y = g.op('Gemm', [means, g.constant(`${output.name}_w`, b, [3, k]), g.constant(`${output.name}_b`, Float32Array.from(output.bias), [k])]);
    g.output(y, output.name, [batch, k]);
  }
  return g.serialize();
}

/** What the model gives for one face, from that face's per-channel input means (in network order). */
export const linearOutput = (output: LinearOutput, channelMeans: readonly number[]): number[] =>
  output.weights.map((row, j) => row[0] * channelMeans[0]! + row[1] * channelMeans[1]! + row[2] * channelMeans[2]! + output.bias[j]!);

/** The per-channel means of one NCHW face in a blob. */
export function planeMeans(blob: Float32Array, side: readonly [number, number], face = 0): number[] {
  const plane = side[0] * side[1];
  return [0, 1, 2].map((c) => {
    let sum = 0;
    for (let i = 0; i < plane; i++) sum += blob[(face * 3 + c) * plane + i]!;
    return sum / plane;
  });
}
