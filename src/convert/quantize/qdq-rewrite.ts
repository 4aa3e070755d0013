/**
 * Rewrites a float32 graph into the QDQ form onnxruntime fuses into
 * `QLinearConv`: for each quantised convolution
 *
 *   x_q -> DequantizeLinear -> Conv <- DequantizeLinear(w int8, per channel, axis 0)
 *                                   <- DequantizeLinear(b int32, scale = sx * sw[c])
 *                               Conv -> QuantizeLinear -> y_q -> DequantizeLinear -> readers
 *
 * Each activation tensor gets exactly one Q -> DQ pair, shared by all its
 * readers: a second pair in a row (Q -> DQ -> Q -> DQ) stops the fusion.
 * A ReLU or ReLU6 (`Clip(0, 6)`) right after a quantised convolution is
 * removed and its work left to the Q: with zero point 0 and a top of the
 * range at or below 6, uint8 saturation clips exactly as the activation did.
 */
import { uint8Params, type QuantParams } from './activation-ranges.js';
import { ModelGraph, type NodeProto } from './model-graph.js';
import { quantizeBias, quantizeWeightsPerChannel } from './weight-quantization.js';

export interface QdqPlan {
  /** Names of the Conv nodes to quantise (others stay float32). */
  convs: ReadonlySet<string>;
  /** The [low, high] range of every tensor a quantised convolution reads or writes (after its activation). */
  rangeOf(tensor: string): readonly [number, number];
  /** Per-channel amounts added to a conv's float bias before it is quantised (bias-correction.ts). */
  biasCorrection?(conv: string): ArrayLike<number> | undefined;
}

export interface QdqSummary {
  quantizedConvs: string[];
  foldedActivations: number;
  quantizedTensors: number;
}

/** The upper bound of a ReLU-like node after a conv, or undefined if it is not one the Q can absorb. */
function activationCeiling(graph: ModelGraph, node: NodeProto): number | undefined {
  if (node.opType === 'Relu') return Infinity;
  if (node.opType !== 'Clip') return undefined;
  const [, minName, maxName] = node.input;
  const scalar = (name: string | undefined) => (name && graph.isInitializer(name) ? graph.floatInitializer(name).data[0] : undefined);
  const min = scalar(minName);
  const max = scalar(maxName);
  return min === 0 && max !== undefined ? max : undefined;
}

/** Rewrites `graph` in place; returns what it did. */
export function rewriteToQdq(graph: ModelGraph, plan: QdqPlan): QdqSummary {
  const consumers = graph.consumers();
  const outputs = new Set(graph.outputNames);
  const convs = graph.nodes.filter((n) => n.opType === 'Conv' && plan.convs.has(n.name) && graph.isInitializer(n.input[1] ?? ''));
  const removed = new Set<NodeProto>();
  const added: NodeProto[] = [];
  /** tensor -> its dequantised name and parameters. */
  const quantized = new Map<string, { dq: string; params: QuantParams }>();

  const scalarParams = (hint: string, params: QuantParams) => ({
    scale: graph.addInitializer(`${hint}/scale`, Float32Array.of(params.scale), []),
    zeroPoint: graph.addInitializer(`${hint}/zero_point`, Uint8Array.of(params.zeroPoint), []),
  });

  /** One Q -> DQ for `tensor`, reading `source` (the conv output when an activation folded). */
  const quantizeTensor = (tensor: string, source: string, params: QuantParams) => {
    const existing = quantized.get(tensor);
    if (existing) return existing;
    const { scale, zeroPoint } = scalarParams(tensor, params);
    const q = graph.uniqueName(`${tensor}/q`);
    const dq = graph.uniqueName(`${tensor}/dq`);
    added.push(ModelGraph.node('QuantizeLinear', [source, scale, zeroPoint], [q], graph.uniqueName(`${tensor}/QuantizeLinear`)));
    added.push(ModelGraph.node('DequantizeLinear', [q, scale, zeroPoint], [dq], graph.uniqueName(`${tensor}/DequantizeLinear`)));
    const entry = { dq, params };
    quantized.set(tensor, entry);
    return entry;
  };

  const paramsFor = (tensor: string, ceiling?: number) => {
    const [low, high] = plan.rangeOf(tensor);
    // After a folded ReLU the range must start at exactly 0 (zero point 0) and end at the clip.
    return ceiling === undefined ? uint8Params([low, high]) : uint8Params([0, Math.min(high, ceiling)]);
  };

  let foldedActivations = 0;
  // Outputs first: a conv's input may be another conv's folded output, which must reuse that pair.
  for (const conv of convs) {
    const raw = conv.output[0]!;
    const readers = consumers.get(raw) ?? [];
    const only = readers.length === 1 ? readers[0]! : undefined;
    const ceiling = only ? activationCeiling(graph, only) : undefined;
    if (only && ceiling !== undefined && !outputs.has(raw) && !outputs.has(only.output[0]!)) {
      removed.add(only);
      foldedActivations++;
      quantizeTensor(only.output[0]!, raw, paramsFor(only.output[0]!, ceiling));
    } else {
      quantizeTensor(raw, raw, paramsFor(raw));
    }
  }
  for (const conv of convs) {
    const input = conv.input[0]!;
    const { dq, params } = quantizeTensor(input, input, paramsFor(input));
    const [, weightName, biasName] = conv.input;
    const weights = graph.floatInitializer(weightName!);
    const channels = weights.dims[0]!;
    const w = quantizeWeightsPerChannel(weights.data, channels);
    const axis = [{ name: 'axis', type: 2, i: 0 }];
    const wq = graph.addInitializer(`${conv.name}/w_int8`, w.values, weights.dims);
    const wScale = graph.addInitializer(`${conv.name}/w_scale`, w.scales, [channels]);
    const wZero = graph.addInitializer(`${conv.name}/w_zero_point`, new Int8Array(channels), [channels]);
    const wDq = graph.uniqueName(`${conv.name}/w_dq`);
    added.push(ModelGraph.node('DequantizeLinear', [wq, wScale, wZero], [wDq], graph.uniqueName(`${conv.name}/w_DequantizeLinear`), axis));
    const inputs = [dq, wDq];
    if (biasName) {
      const bias = graph.floatInitializer(biasName).data;
      const correction = plan.biasCorrection?.(conv.name);
      if (correction) {
        if (correction.length !== bias.length) throw new RangeError(`Bias correction of ${conv.name} has ${correction.length} values for ${bias.length} channels`);
        for (let c = 0; c < bias.length; c++) bias[c]! += correction[c]!;
      }
      const b = quantizeBias(bias, params.scale, w.scales);
      const bq = graph.addInitializer(`${conv.name}/b_int32`, b.values, [channels]);
      const bScale = graph.addInitializer(`${conv.name}/b_scale`, b.scales, [channels]);
      const bZero = graph.addInitializer(`${conv.name}/b_zero_point`, new Int32Array(channels), [channels]);
      const bDq = graph.uniqueName(`${conv.name}/b_dq`);
      added.push(ModelGraph.node('DequantizeLinear', [bq, bScale, bZero], [bDq], graph.uniqueName(`${conv.name}/b_DequantizeLinear`), axis));
      inputs.push(bDq);
    }
    conv.input = inputs;
  }

  // Every reader of a quantised tensor reads its dequantised copy. Only the original nodes are
  // renamed: the added Q nodes read the float tensor (or the conv output an activation folded into).
  const rename = new Map<string, string>([...quantized].map(([tensor, { dq }]) => [tensor, dq]));
  for (const node of graph.nodes) node.input = node.input.map((name) => rename.get(name) ?? name);
  graph.nodes = [...graph.nodes.filter((n) => !removed.has(n)), ...added];
  graph.sortTopologically();
  graph.pruneInitializers();
  return { quantizedConvs: convs.map((c) => c.name), foldedActivations, quantizedTensors: quantized.size };
}
