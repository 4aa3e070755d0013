/**
 * TF.js graph model (model.json + shards) -> ONNX. The ONNX model keeps the
 * TF model's interface: NHWC inputs and outputs with the same names and
 * order as tfjs's `model.execute()`; inside, convolutions run in NCHW with
 * Transposes only where an op needs TF order (see conversion-context.ts).
 */
import type { Dim } from '../onnx/graph-builder.js';
import { attrShape, attrType, shapeDims } from './attributes.js';
import { computed, ConversionContext, type Value } from './conversion-context.js';
import { executionOrder, graphOutputs, nodeNameOf } from './graph-order.js';
import { readTfjsGraphModel, signatureOf, type TfjsGraphModel, type TfNode } from './model-json.js';
import { opHandler } from './op-registry.js';
import { ReservingGraphBuilder } from './reserving-graph-builder.js';
import { valueTypeOf } from './ops/shape.js';

export interface ConvertTfjsOptions {
  /**
   * Shape of the (single) input in TF order, e.g. [1, 224, 224, 3]; replaces
   * the Placeholder's shape. Unknown sizes (-1) otherwise become symbolic
   * dims: `batch` for axis 0, `<input>_d<k>` for the rest.
   */
  readonly inputShape?: readonly number[];
}

export interface ConvertedGraphModel {
  /** The serialized ONNX ModelProto. */
  readonly onnx: Uint8Array;
  /** Graph inputs (NHWC, as in TF), with symbolic dims as strings. */
  readonly inputs: { name: string; shape: Dim[] }[];
  /** Graph outputs in tfjs's `execute()` order; shape from the signature when it gives one. */
  readonly outputs: { name: string; shape?: number[] }[];
}

/**
 * Converts a TF.js graph model file to ONNX.
 *
 * @example
 *   const { onnx, inputs, outputs } = await convertTfjsGraphModel('models/faceres.json', { inputShape: [1, 224, 224, 3] });
 *   const session = await ort.InferenceSession.create(onnx);
 *   const result = await session.run({ [inputs[0].name]: new ort.Tensor('float32', pixels, [1, 224, 224, 3]) });
 *   result[outputs[0].name]; // same values as tfjs's model.execute(...)[0]
 */
export async function convertTfjsGraphModel(modelJsonPath: string, options: ConvertTfjsOptions = {}): Promise<ConvertedGraphModel> {
  return convertDecodedGraphModel(await readTfjsGraphModel(modelJsonPath), options);
}

/**
 * Converts a graph model already in memory (see `decodeTfjsGraphModel`).
 *
 * @example
 *   const model = await decodeTfjsGraphModel('tiny', json, async () => weightBytes);
 *   const { onnx } = convertDecodedGraphModel(model);
 */
export function convertDecodedGraphModel(model: TfjsGraphModel, options: ConvertTfjsOptions = {}): ConvertedGraphModel {
  const { json, source } = model;
  const outputRefs = graphOutputs(json);
  if (outputRefs.length === 0) throw new Error(`${source} has no outputs`);
  const order = executionOrder(json.modelTopology.node, outputRefs, source);
  const placeholders = order.filter((n) => n.op.startsWith('Placeholder')).map((n) => n.name);
  const builder = new ReservingGraphBuilder(baseName(source), new Set([...placeholders, ...outputRefs.map((o) => o.name)]));
  const ctx = new ConversionContext(builder, source);
  const inputs: ConvertedGraphModel['inputs'] = [];
  for (const node of order) {
    if (node.op === 'Const') {
      ctx.define(node, [constantValue(model, node)]);
    } else if (node.op === 'Placeholder' || node.op === 'PlaceholderWithDefault') {
      const input = declareInput(ctx, node, options, inputs.length);
      inputs.push(input.info);
      ctx.define(node, [input.value]);
    } else {
      const handler = opHandler(node.op);
      if (!handler) throw new Error(`Unsupported TF.js op "${node.op}" in node "${node.name}" of ${source}`);
      ctx.define(node, handler(node, ctx));
    }
  }
  const signatureOutputs = signatureOf(json)?.outputs ?? {};
  const outputs = outputRefs.map(({ tensor, name }) => {
    const value = ctx.value(tensor);
    builder.output(ctx.tf(value), name, undefined, ctx.elementType(value));
    const shape = shapeDims(signatureOutputs[name]?.tensorShape);
    return shape ? { name, shape } : { name };
  });
  return { onnx: builder.serialize(`Converted from TF.js graph model ${baseName(source)}`), inputs, outputs };
}

function baseName(source: string): string {
  return source.split(/[\\/]/).pop()!.replace(/\.json$/, '');
}

/** A Const node's value from the weights (int32 tensors are kept as int32). */
function constantValue(model: TfjsGraphModel, node: TfNode): Value {
  if (!model.weights.has(node.name)) {
    throw new Error(`Const node "${node.name}" has no entry in the weights manifest of ${model.source}`);
  }
  const { shape, data, ints } = model.weights.get(node.name);
  const dtype = attrType(node, 'dtype');
  if (dtype === 'DT_INT32' || dtype === 'DT_INT64') {
    // Kept as int32 in ONNX too; a Cast to int64 happens only where ONNX needs it (shapes, axes).
    return { dtype: 'int32', rank: shape.length, constant: { data: ints ?? Int32Array.from(data), shape }, names: {} };
  }
  if (dtype !== 'DT_FLOAT') throw new Error(`Const node "${node.name}" has unsupported dtype ${dtype} in ${model.source}`);
  return { dtype: 'float32', rank: shape.length, constant: { data, shape }, names: {} };
}

function declareInput(ctx: ConversionContext, node: TfNode, options: ConvertTfjsOptions, index: number) {
  const declared = options.inputShape && index === 0 ? [...options.inputShape] : attrShape(node, 'shape');
  if (!declared) {
    throw new Error(`Input "${node.name}" of ${ctx.source} has an unknown rank; pass options.inputShape`);
  }
  const shape: Dim[] = declared.map((d, k) => (d >= 0 ? d : k === 0 ? 'batch' : `${nodeNameOf(node.name)}_d${k}`));
  const type = valueTypeOf(ctx, node, attrType(node, 'dtype'));
  const value = computed(type.value, shape.length, node.name);
  ctx.builder.input(node.name, shape, ctx.elementType(value));
  return { info: { name: node.name, shape }, value };
}
