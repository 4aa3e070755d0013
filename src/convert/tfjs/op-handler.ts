/** The contract every op handler in `ops/` fulfils. */
import type { ConversionContext, Value } from './conversion-context.js';
import type { TfNode } from './model-json.js';

/**
 * Converts one GraphDef node: reads its inputs from `ctx`, adds ONNX nodes
 * through `ctx.builder`, and returns the node's outputs in TF order.
 */
export type OpHandler = (node: TfNode, ctx: ConversionContext) => Value[];

/** A family of handlers keyed by TF op name (one table per `ops/*.ts` file). */
export type OpTable = Readonly<Record<string, OpHandler>>;
