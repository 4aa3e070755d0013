/**
 * The int8 version of a built-in model, as the model store makes it: the
 * float32 conversion quantised with the model's committed activation ranges
 * and its registry settings (range method, layers kept in float32).
 */
import type { Int8Spec } from '../../models/registry.js';
import { CALIBRATION_RANGES } from './calibration-ranges.js';
import { quantizeModel } from './quantize-model.js';

/**
 * @example
 *   const int8 = quantizeBuiltIn('faceapi-ssd-mobilenetv1', findModel('faceapi-ssd-mobilenetv1').int8!, fp32Bytes);
 */
export function quantizeBuiltIn(id: string, spec: Int8Spec, fp32: Uint8Array): Uint8Array {
  const calibrated = CALIBRATION_RANGES[spec.calibration];
  if (!calibrated) throw new RangeError(`No calibrated activation ranges for ${id} (key "${spec.calibration}"). Run \`npm run calibrate:int8\`.`);
  for (const conv of spec.correctBias ?? []) {
    if (!calibrated.biasCorrections?.[conv]) throw new RangeError(`No measured bias correction for ${conv} of ${id}. Run \`npm run calibrate:int8\`.`);
  }
  const biasCorrections = Object.fromEntries((spec.correctBias ?? []).map((conv) => [conv, calibrated.biasCorrections![conv]!]));
  return quantizeModel(fp32, calibrated.ranges, { method: spec.method, keepFloat: spec.keepFloat, biasCorrections }).bytes;
}
