/**
 * A Caffe network definition (`deploy.prototxt`) as a list of layers in
 * one shape, whichever form the file uses: current `layer { type: "ReLU" }`
 * or legacy V1 `layers { type: RELU }`, and inputs declared by `input` +
 * `input_dim`/`input_shape` or by an `Input` layer.
 *
 * @example
 *   const net = readNetDefinition(await readFile('deploy_age.prototxt', 'utf8'), 'deploy_age.prototxt');
 *   net.inputs; // [{ name: 'data', shape: [1, 3, 227, 227] }]
 *   net.layers.map((l) => l.type); // ['Convolution', 'ReLU', 'Pooling', 'LRN', ...]
 */
import { parseTextFormat, type TextMessage } from './text-format.js';

export interface CaffeInput {
  name: string;
  /** NCHW as declared (the batch size declared is not binding). */
  shape: number[];
}

export interface CaffeLayer {
  name: string;
  /** The current (V2) type name, e.g. "Convolution", also for V1 files. */
  type: string;
  bottoms: string[];
  tops: string[];
  /** The whole layer message, to read its `*_param` sub-messages. */
  message: TextMessage;
}

export interface NetDefinition {
  name: string;
  source: string;
  inputs: CaffeInput[];
  layers: CaffeLayer[];
}

/** V1 `LayerType` enum names and their V2 type strings (caffe.proto's upgrade table). */
const V1_TYPES: Readonly<Record<string, string>> = {
  ABSVAL: 'AbsVal', ACCURACY: 'Accuracy', ARGMAX: 'ArgMax', BNLL: 'BNLL', CONCAT: 'Concat',
  CONTRASTIVE_LOSS: 'ContrastiveLoss', CONVOLUTION: 'Convolution', DATA: 'Data', DECONVOLUTION: 'Deconvolution',
  DROPOUT: 'Dropout', DUMMY_DATA: 'DummyData', EUCLIDEAN_LOSS: 'EuclideanLoss', ELTWISE: 'Eltwise', EXP: 'Exp',
  FLATTEN: 'Flatten', HDF5_DATA: 'HDF5Data', HDF5_OUTPUT: 'HDF5Output', HINGE_LOSS: 'HingeLoss', IM2COL: 'Im2col',
  IMAGE_DATA: 'ImageData', INFOGAIN_LOSS: 'InfogainLoss', INNER_PRODUCT: 'InnerProduct', LRN: 'LRN',
  MEMORY_DATA: 'MemoryData', MULTINOMIAL_LOGISTIC_LOSS: 'MultinomialLogisticLoss', MVN: 'MVN', POOLING: 'Pooling',
  POWER: 'Power', RELU: 'ReLU', SIGMOID: 'Sigmoid', SIGMOID_CROSS_ENTROPY_LOSS: 'SigmoidCrossEntropyLoss',
  SILENCE: 'Silence', SOFTMAX: 'Softmax', SOFTMAX_LOSS: 'SoftmaxWithLoss', SPLIT: 'Split', SLICE: 'Slice',
  TANH: 'TanH', WINDOW_DATA: 'WindowData', THRESHOLD: 'Threshold',
};

/** True when Caffe would build this layer for inference (its include/exclude rules allow the TEST phase). */
function inTestPhase(layer: TextMessage): boolean {
  const includes = layer.messages('include');
  const excludes = layer.messages('exclude');
  const phaseIs = (rule: TextMessage, phase: string) => rule.string('phase') === phase;
  if (excludes.some((rule) => phaseIs(rule, 'TEST'))) return false;
  return includes.length === 0 || includes.some((rule) => !rule.has('phase') || phaseIs(rule, 'TEST'));
}

function netInputs(net: TextMessage): CaffeInput[] {
  const names = net.strings('input');
  const shapes = net.messages('input_shape').map((s) => s.numbers('dim'));
  const dims = net.numbers('input_dim');
  return names.map((name, i) => {
    const shape = shapes[i] ?? dims.slice(i * 4, i * 4 + 4);
    if (shape.length === 0) throw new Error(`Input "${name}" of ${net.source} has no input_dim or input_shape`);
    return { name, shape };
  });
}

function layerOf(message: TextMessage, legacy: boolean): CaffeLayer {
  const rawType = message.string('type', '');
  // V1 files name types by enum (CONVOLUTION); a few V1 files already use the V2 strings.
  const type = legacy ? (V1_TYPES[rawType] ?? rawType) : rawType;
  return {
    name: message.string('name', ''),
    type,
    bottoms: message.strings('bottom'),
    tops: message.strings('top'),
    message,
  };
}

/**
 * Parses a prototxt network definition.
 *
 * @example
 *   const { inputs, layers } = readNetDefinition('input: "data" input_dim: 1 input_dim: 3 input_dim: 8 input_dim: 8', 'tiny');
 */
export function readNetDefinition(text: string, source: string): NetDefinition {
  const net = parseTextFormat(text, source);
  const layers = [
    ...net.messages('layers').map((m) => layerOf(m, true)),
    ...net.messages('layer').map((m) => layerOf(m, false)),
  ].filter((layer) => inTestPhase(layer.message));
  if (net.has('layers') && net.has('layer')) {
    throw new Error(`${source} mixes "layer" and legacy "layers" entries; Caffe itself refuses such files`);
  }
  const inputs = netInputs(net);
  for (const layer of layers) {
    if (layer.type !== 'Input') continue;
    const shapes = layer.message.message('input_param').messages('shape').map((s) => s.numbers('dim'));
    layer.tops.forEach((top, i) => {
      const shape = shapes[i] ?? shapes[0];
      if (!shape) throw new Error(`Input layer "${layer.name}" of ${source} has no input_param shape`);
      inputs.push({ name: top, shape });
    });
  }
  if (inputs.length === 0) throw new Error(`${source} declares no input (neither "input" nor an Input layer)`);
  return { name: net.string('name', 'caffe'), source, inputs, layers: layers.filter((l) => l.type !== 'Input') };
}
