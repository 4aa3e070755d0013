/**
 * The one table from TF op name to handler. Placeholder and Const are
 * handled by the converter itself (they become graph inputs and constants).
 */
import type { OpHandler } from './op-handler.js';
import { convOps } from './ops/conv.js';
import { depthToSpaceOps } from './ops/depth-to-space.js';
import { elementwiseOps } from './ops/elementwise.js';
import { matmulOps } from './ops/matmul.js';
import { padOps } from './ops/pad.js';
import { poolOps } from './ops/pool.js';
import { reduceOps } from './ops/reduce.js';
import { resizeOps } from './ops/resize.js';
import { shapeOps } from './ops/shape.js';
import { sliceOps } from './ops/slice.js';
import { softmaxOps } from './ops/softmax.js';

const OP_HANDLERS: ReadonlyMap<string, OpHandler> = new Map(
  Object.entries({
    ...convOps,
    ...depthToSpaceOps,
    ...elementwiseOps,
    ...matmulOps,
    ...padOps,
    ...poolOps,
    ...reduceOps,
    ...resizeOps,
    ...shapeOps,
    ...sliceOps,
    ...softmaxOps,
  }),
);

/** The handler for TF op `op`, or undefined when the converter does not know it. */
export function opHandler(op: string): OpHandler | undefined {
  return OP_HANDLERS.get(op);
}

/** Every TF op the converter maps (besides Placeholder and Const), sorted. */
export function supportedTfjsOps(): string[] {
  return [...OP_HANDLERS.keys(), 'Const', 'Placeholder'].sort();
}
