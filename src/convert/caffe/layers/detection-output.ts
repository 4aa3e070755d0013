/**
 * SSD DetectionOutput: box decoding, per-class NMS and keep_top_k run in
 * TypeScript after the network (src/pipeline/detectors/caffe-ssd-output.ts),
 * so this handler only turns its inputs into graph outputs: `loc`, `conf`,
 * the constant `priors`, and the layer's parameters.
 */
import { DETECTION_PARAMS_OUTPUT, encodeDetectionParams, type BoxCoding, type DetectionParams } from '../detection-output-params.js';
import type { LayerHandler } from '../caffe-context.js';
import type { TextMessage } from '../text-format.js';

/** Reads a Caffe `detection_output_param` (defaults as in caffe.proto). */
export function detectionParamsOf(param: TextMessage): DetectionParams {
  const nms = param.message('nms_param');
  return {
    numClasses: param.number('num_classes', 0),
    shareLocation: param.boolean('share_location', true),
    backgroundLabelId: param.number('background_label_id', 0),
    nmsThreshold: nms.number('nms_threshold', 0.3),
    topK: nms.number('top_k', -1),
    keepTopK: param.number('keep_top_k', -1),
    confidenceThreshold: param.number('confidence_threshold', -Number.MAX_VALUE),
    codeType: param.string('code_type', 'CORNER') as BoxCoding,
    varianceEncodedInTarget: param.boolean('variance_encoded_in_target', false),
    normalized: param.boolean('normalized', true),
    clip: param.boolean('clip', false),
  };
}

export const detectionOutput: LayerHandler = (layer, ctx) => {
  const params = detectionParamsOf(layer.message.message('detection_output_param'));
  if (!['CORNER', 'CENTER_SIZE', 'CORNER_SIZE'].includes(params.codeType)) throw ctx.layerError(layer, `uses unknown code_type ${params.codeType}`);
  if (!params.shareLocation) throw ctx.layerError(layer, 'uses share_location: false, which is not supported');
  if (params.numClasses < 2) throw ctx.layerError(layer, 'needs num_classes of at least 2');
  const [loc, conf, priors] = [0, 1, 2].map((i) => ctx.bottom(layer, i));
  if (!priors!.constant) throw ctx.layerError(layer, 'needs prior boxes computed from PriorBox layers');
  const params32 = encodeDetectionParams(params);
  ctx.extraOutputs.push(
    { name: 'loc', tensor: loc! },
    { name: 'conf', tensor: conf! },
    { name: 'priors', tensor: priors! },
    { name: DETECTION_PARAMS_OUTPUT, tensor: { shape: [params32.length], constant: params32 } },
  );
  return [];
};
