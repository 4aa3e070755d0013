/**
 * BlazeFace as @vladmandic/human ships it (`models/blazeface.json`, a
 * TF.js graph model: MediaPipe's 256 px "back camera" face detector) to
 * ONNX, its input fixed at [1, 256, 256, 3] as the runner feeds it.
 * Conformance with tfjs: test/integration/conformance/tfjs-graph-models.test.ts.
 */
import path from 'node:path';
import { convertTfjsGraphModel } from '../tfjs/convert-graph-model.js';

/** The model's square input side in pixels. */
export const BLAZEFACE_BACK_SIZE = 256;

/** Files of the model inside `@vladmandic/human/models`. */
export const BLAZEFACE_BACK_FILES = ['blazeface.json', 'blazeface.bin'] as const;

/**
 * @example
 *   const onnx = await convertBlazefaceBack(path.join(packageFolder('@vladmandic/human')!, 'models'));
 */
export async function convertBlazefaceBack(sourceFolder: string): Promise<Uint8Array> {
  const converted = await convertTfjsGraphModel(path.join(sourceFolder, BLAZEFACE_BACK_FILES[0]), { inputShape: [1, BLAZEFACE_BACK_SIZE, BLAZEFACE_BACK_SIZE, 3] });
  return converted.onnx;
}
