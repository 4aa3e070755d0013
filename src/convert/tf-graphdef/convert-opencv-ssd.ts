/**
 * OpenCV's TensorFlow res10 face detector -> ONNX, read as OpenCV reads it
 * (`cv2.dnn.readNetFromTensorflow(pb, pbtxt)`): the topology from the
 * `.pbtxt` graph description (with OpenCV's PriorBox and DetectionOutput
 * ops), the weights from the frozen `.pb` (uint8-quantised Consts). The
 * result has the same interface as a converted Caffe SSD: NCHW input
 * `data`, outputs `loc`, `conf`, `priors` and `detection_params`, so the
 * same runner drives both.
 *
 * @example
 *   const { onnx } = convertOpenCvTfDetector(pbBytes, 'opencv_face_detector_uint8.pb', pbtxtText, 'opencv_face_detector.pbtxt');
 */
import { DETECTION_PARAMS_OUTPUT, encodeDetectionParams } from '../caffe/detection-output-params.js';
import { detectionParamsOf } from '../caffe/layers/detection-output.js';
import { TextMessage } from '../caffe/text-format.js';
import { ConversionContext, dataInputs, type Value } from '../tfjs/conversion-context.js';
import { attrInts, attrString } from '../tfjs/attributes.js';
import { executionOrder, nodeNameOf } from '../tfjs/graph-order.js';
import type { TfNode } from '../tfjs/model-json.js';
import { opHandler } from '../tfjs/op-registry.js';
import { ReservingGraphBuilder } from '../tfjs/reserving-graph-builder.js';
import { readGraphDef, readTextGraphDef, type GraphConstant } from './graphdef.js';
import { dilatedConv, OPENCV_TF_OPS, type OpenCvOpContext, type SpatialSizes } from './opencv-ops.js';

const INPUT_SIDE = 300;

function constantValue(constant: GraphConstant): Value {
  return { dtype: constant.dtype, rank: constant.shape.length, constant: { data: constant.data, shape: constant.shape }, names: {} };
}

/** Spatial size after a window op (TF's SAME and VALID rules). */
function windowOutput(size: number, kernel: number, stride: number, padding: string): number {
  return padding === 'SAME' ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
}

function trackSize(node: TfNode, sizes: SpatialSizes, constants: Map<string, GraphConstant>, dilations: OpenCvOpContext['dilations']): void {
  const input = sizes.get(nodeNameOf(dataInputs(node)[0] ?? ''));
  if (!input) return;
  if (node.op === 'Conv2D' || node.op === 'MaxPool' || node.op === 'AvgPool') {
    const kernel = node.op === 'Conv2D' ? constants.get(nodeNameOf(dataInputs(node)[1]!))?.shape.slice(0, 2) ?? [1, 1] : attrInts(node, 'ksize').slice(1, 3);
    const strides = attrInts(node, 'strides').slice(1, 3);
    const padding = attrString(node, 'padding');
    sizes.set(node.name, [windowOutput(input[0], kernel[0]!, strides[0] ?? 1, padding), windowOutput(input[1], kernel[1]!, strides[1] ?? 1, padding)]);
  } else if ((node.op === 'SpaceToBatchND' && !dilations.has(node.name) && constants.get(nodeNameOf(dataInputs(node)[1]!))?.data[0] === 1) || node.op === 'Pad') {
    const pads = Array.from(constants.get(nodeNameOf(dataInputs(node)[node.op === 'Pad' ? 1 : 2]!))?.data ?? []);
    const [top, bottom, left, right] = node.op === 'Pad' ? pads.slice(2, 6) : pads;
    sizes.set(node.name, [input[0] + top! + bottom!, input[1] + left! + right!]);
  } else {
    sizes.set(node.name, input);
  }
}

/** Concat of PriorBox constants: along the last axis, done now. */
function concatPriors(values: Value[]): Value {
  const parts = values.map((v) => v.constant!);
  const total = parts.reduce((n, p) => n + p.data.length / 2, 0);
  const data = new Float32Array(total * 2);
  let offset = 0;
  for (const p of parts) {
    const half = p.data.length / 2;
    data.set(p.data.subarray(0, half), offset);
    data.set(p.data.subarray(half), total + offset);
    offset += half;
  }
  return { dtype: 'float32', rank: 3, constant: { data, shape: [1, 2, total] }, names: {} };
}

/**
 * Converts OpenCV's TF face detector (binary `.pb` weights + text `.pbtxt` topology).
 *
 * @example
 *   const session = await ort.InferenceSession.create(convertOpenCvTfDetector(pb, 'x.pb', pbtxt, 'x.pbtxt').onnx);
 */
export function convertOpenCvTfDetector(pbBytes: Uint8Array, pbSource: string, pbtxt: string, pbtxtSource: string): { onnx: Uint8Array } {
  const weights = readGraphDef(pbBytes, pbSource);
  const topology = readTextGraphDef(pbtxt, pbtxtSource);
  const detection = topology.nodes.find((n) => n.op === 'DetectionOutput');
  if (!detection) throw new Error(`${pbtxtSource} has no DetectionOutput node; is it OpenCV's SSD graph description?`);
  const [locRef, confRef, priorsRef] = dataInputs(detection);
  const defined = new Set(topology.nodes.map((n) => n.name));
  const constants = new Map([...weights.constants, ...topology.constants]);
  // Inputs that the text graph only names come from the frozen graph's constants.
  const missing = [...new Set(topology.nodes.flatMap((n) => dataInputs(n).map(nodeNameOf)))].filter((name) => !defined.has(name));
  for (const name of missing) if (!constants.has(name)) throw new Error(`"${name}" is used in ${pbtxtSource} but ${pbSource} has no constant of that name`);
  const nodes = [...topology.nodes.filter((n) => n !== detection), ...missing.map((name): TfNode => ({ name, op: 'Const', input: [] }))];
  const outputs = [{ tensor: locRef!, name: 'loc' }, { tensor: confRef!, name: 'conf' }, { tensor: priorsRef!, name: 'priors' }];
  const builder = new ReservingGraphBuilder('opencv_face_detector', new Set(['data', ...outputs.map((o) => o.name), DETECTION_PARAMS_OUTPUT]));
  const ctx = new ConversionContext(builder, pbtxtSource);
  const sizes: SpatialSizes = new Map();
  const opencv: OpenCvOpContext = { ctx, sizes, raw: topology.rawAttributes, dilations: new Map() };
  for (const node of executionOrder(nodes, outputs, pbtxtSource)) {
    const dilated = node.op === 'Conv2D' ? dilatedConv(node, opencv) : undefined;
    if (dilated) {
      ctx.define(node, dilated);
      continue;
    }
    trackSize(node, sizes, constants, opencv.dilations);
    if (node.op === 'Const') {
      ctx.define(node, [constantValue(constants.get(node.name)!)]);
    } else if (node.op === 'Placeholder') {
      builder.input('data', ['batch', 3, INPUT_SIDE, INPUT_SIDE]);
      sizes.set(node.name, [INPUT_SIDE, INPUT_SIDE]);
      ctx.define(node, [{ dtype: 'float32', rank: 4, names: { nchw: 'data' } }]);
    } else if (node.op === 'ConcatV2' && ctx.inputs(node).slice(0, -1).every((v) => v.constant && v.rank === 3)) {
      ctx.define(node, [concatPriors(ctx.inputs(node).slice(0, -1))]);
    } else {
      const own = OPENCV_TF_OPS[node.op];
      const handler = opHandler(node.op);
      if (!own && !handler) throw new Error(`Unsupported TensorFlow op "${node.op}" in node "${node.name}" of ${pbtxtSource}`);
      ctx.define(node, own ? own(node, opencv) : handler!(node, ctx));
    }
  }
  for (const { tensor, name } of outputs) builder.output(ctx.tf(ctx.value(tensor)), name);
  const params = paramsOf(topology.rawAttributes.get(detection.name) ?? new Map(), pbtxtSource);
  builder.output(builder.constant('detection_params_value', params, [params.length]), DETECTION_PARAMS_OUTPUT);
  return { onnx: builder.serialize(`Converted from ${pbSource} with ${pbtxtSource}`) };
}

/** DetectionOutput's TF attributes, read as Caffe's detection_output_param. */
function paramsOf(raw: Map<string, TextMessage>, source: string): Float32Array {
  const param = new TextMessage(source);
  const nms = new TextMessage(source);
  for (const [key, value] of raw) {
    const scalar = value.last('i') ?? value.last('f') ?? value.last('b') ?? value.last('s');
    if (scalar === undefined) continue;
    if (key === 'nms_threshold' || key === 'top_k') nms.add(key, scalar);
    else param.add(key, scalar);
  }
  param.add('nms_param', nms);
  return encodeDetectionParams(detectionParamsOf(param));
}
