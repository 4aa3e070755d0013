/** The one table from Caffe layer type to its handler. */
import type { LayerHandler } from './caffe-context.js';
import { convolution } from './layers/convolution.js';
import { detectionOutput } from './layers/detection-output.js';
import { dropout, power, relu, sigmoid, split, tanh } from './layers/elementwise-unary.js';
import { eltwise } from './layers/eltwise.js';
import { innerProduct } from './layers/inner-product.js';
import { lrn } from './layers/lrn.js';
import { batchNorm, normalize, scale } from './layers/normalization.js';
import { pooling } from './layers/pooling.js';
import { priorBox } from './layers/prior-box.js';
import { concat, flatten, permute, reshape } from './layers/shape-layers.js';
import { softmax } from './layers/softmax.js';

const LAYER_HANDLERS: ReadonlyMap<string, LayerHandler> = new Map(
  Object.entries({
    BatchNorm: batchNorm,
    Concat: concat,
    Convolution: convolution,
    DetectionOutput: detectionOutput,
    Dropout: dropout,
    Eltwise: eltwise,
    Flatten: flatten,
    InnerProduct: innerProduct,
    LRN: lrn,
    Normalize: normalize,
    Permute: permute,
    Pooling: pooling,
    Power: power,
    PriorBox: priorBox,
    ReLU: relu,
    Reshape: reshape,
    Scale: scale,
    Sigmoid: sigmoid,
    Softmax: softmax,
    Split: split,
    TanH: tanh,
  }),
);

/** The handler for a layer type, or undefined when the converter does not know it. */
export function layerHandler(type: string): LayerHandler | undefined {
  return LAYER_HANDLERS.get(type);
}

/** Every Caffe layer type the converter maps (besides Input), sorted. */
export function supportedCaffeLayers(): string[] {
  return [...LAYER_HANDLERS.keys(), 'Input'].sort();
}
