/**
 * int8 versions of imported OpenCV networks (`faceread models import-caffe
 * --int8`). Their weights are the user's, so no committed ranges can fit
 * them: the activation ranges are measured at import time, by running the
 * float32 networks through their own runners on face-api's demo photos and
 * variants (as `npm run calibrate:int8` does for the built-in ones). The
 * import is an explicit, one-off step, so the seconds this takes are spent
 * there and never at start-up; the int8 files are hashed into the manifest
 * like the float32 ones.
 */
import type { InferenceSession } from 'onnxruntime-node';
import ort from '../../engine/ort.js';
import { findKind } from '../../models/kinds.js';
import { findModel } from '../../models/registry.js';
import { DEFAULT_ANALYZE_OPTIONS } from '../../pipeline/analyze-options.js';
import type { AttributePredictor, FaceDetector } from '../../pipeline/runner-types.js';
import { CALIBRATION_VARIANTS, convertFloat, loadVariant, recording, samplePhotoPaths, type PhotoVariant } from './calibration-inputs.js';
import { collectRanges, type Feeds } from './collect-ranges.js';
import { quantizeModel } from './quantize-model.js';

/** The range method for imported networks: the one closest to float32 on every built-in network. */
const IMPORTED_RANGE_METHOD = 'p99.999';

const open = (bytes: Uint8Array): Promise<InferenceSession> => ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all', intraOpNumThreads: 2 });

/**
 * The int8 bytes of each imported network, by slot. Faces for the
 * attribute networks come from the imported detector, or from the built-in
 * SSD when no detector is imported.
 *
 * @example
 *   const int8 = await quantizeImported([{ slot: 'detector', kind: 'opencv-res10-ssd', bytes }]); // Map { 'detector' => Uint8Array }
 */
export async function quantizeImported(
  models: readonly { slot: string; kind: string; bytes: Uint8Array }[],
  photos: readonly string[] = samplePhotoPaths(),
  variants: readonly PhotoVariant[] = CALIBRATION_VARIANTS,
): Promise<Map<string, Uint8Array>> {
  const feeds = new Map<string, Feeds[]>(models.map((m) => [m.slot, []]));
  const sessions: InferenceSession[] = [];
  const load = async (bytes: Uint8Array, slot?: string) => {
    const session = await open(bytes);
    sessions.push(session);
    return slot ? recording(session, feeds.get(slot)!) : session;
  };
  try {
    const importedDetector = models.find((m) => m.slot === 'detector');
    const detector = (
      importedDetector
        ? (await findKind(importedDetector.kind).runner())(await load(importedDetector.bytes, 'detector'))
        : (await findModel('faceapi-ssd-mobilenetv1').runner())(await load(await convertFloat(findModel('faceapi-ssd-mobilenetv1'))))
    ) as FaceDetector;
    const predictors: AttributePredictor[] = [];
    for (const model of models.filter((m) => m.slot !== 'detector')) {
      predictors.push((await findKind(model.kind).runner())(await load(model.bytes, model.slot)) as AttributePredictor);
    }
    for (const photo of photos) {
      for (const variant of variants) {
        const image = await loadVariant(photo, variant);
        const faces = await detector.detect(image, { minScore: DEFAULT_ANALYZE_OPTIONS.minScore, maxFaces: DEFAULT_ANALYZE_OPTIONS.maxFaces });
        for (const predictor of predictors) await predictor.predict(image, faces);
      }
    }
  } finally {
    for (const session of sessions) await session.release();
  }
  const quantized = new Map<string, Uint8Array>();
  for (const model of models) {
    const measured = feeds.get(model.slot)!;
    if (measured.length === 0) throw new Error(`No calibration input reached the imported ${model.slot} network (no face found in the demo photos?)`);
    const ranges = await collectRanges(model.bytes, measured);
    quantized.set(model.slot, quantizeModel(model.bytes, ranges, { method: IMPORTED_RANGE_METHOD, keepFloat: [] }).bytes);
  }
  return quantized;
}
