/**
 * The parameters of an SSD DetectionOutput layer, read from the network
 * definition at import and stored inside the converted ONNX model as a
 * small constant output, so the runner post-processes exactly as the
 * definition says and the model file stays the only thing to keep.
 *
 * @example
 *   const params = decodeDetectionParams(outputs.detection_params.data as Float32Array);
 *   params.nmsThreshold; // 0.3 for res10's deploy.prototxt
 */

export type BoxCoding = 'CORNER' | 'CENTER_SIZE' | 'CORNER_SIZE';
const CODINGS: readonly BoxCoding[] = ['CORNER', 'CENTER_SIZE', 'CORNER_SIZE'];

export interface DetectionParams {
  numClasses: number;
  shareLocation: boolean;
  backgroundLabelId: number;
  nmsThreshold: number;
  /** Candidates per class kept before NMS; -1 for all. */
  topK: number;
  /** Detections kept after NMS over all classes; -1 for all. */
  keepTopK: number;
  confidenceThreshold: number;
  codeType: BoxCoding;
  varianceEncodedInTarget: boolean;
  /** Boxes in 0..1 (no +1 in widths). */
  normalized: boolean;
  /** Clamp decoded boxes to 0..1. */
  clip: boolean;
}

/** Name of the ONNX output holding the encoded parameters. */
export const DETECTION_PARAMS_OUTPUT = 'detection_params';

/** The parameters as a float vector (one number each, in the interface's order). */
export function encodeDetectionParams(p: DetectionParams): Float32Array {
  return Float32Array.from([
    p.numClasses, Number(p.shareLocation), p.backgroundLabelId, p.nmsThreshold, p.topK, p.keepTopK,
    p.confidenceThreshold, CODINGS.indexOf(p.codeType), Number(p.varianceEncodedInTarget), Number(p.normalized), Number(p.clip),
  ]);
}

export function decodeDetectionParams(v: ArrayLike<number>): DetectionParams {
  if (v.length !== 11) throw new Error(`Expected 11 detection parameters but the model gives ${v.length}; convert it again`);
  return {
    numClasses: v[0]!, shareLocation: v[1] === 1, backgroundLabelId: v[2]!, nmsThreshold: v[3]!, topK: v[4]!, keepTopK: v[5]!,
    confidenceThreshold: v[6]!, codeType: CODINGS[v[7]!] ?? 'CENTER_SIZE', varianceEncodedInTarget: v[8] === 1, normalized: v[9] === 1, clip: v[10] === 1,
  };
}
