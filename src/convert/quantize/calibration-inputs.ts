/**
 * Calibration inputs for the built-in networks, made from face-api's six
 * demo photos (shipped in the @vladmandic/face-api package, so no dataset
 * in the repository) and variants of them made here: mirrored, scaled down
 * and cropped. The float32 pipeline runs on each variant through sessions
 * that record what they are fed, so the detector sees exactly the padded
 * 512 px squares it sees in service and the landmark and age/gender nets
 * exactly the face crops the pipeline cuts.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import sharp from 'sharp';
import ort from '../../engine/ort.js';
import { findModel, type ModelDefinition } from '../../models/registry.js';
import { sourceFolder } from '../../models/store.js';
import { DEFAULT_ANALYZE_OPTIONS } from '../../pipeline/analyze-options.js';
import { analyzeFaces, type LoadedRunners } from '../../pipeline/analyze-photo.js';
import { chainFromSpec, linksOf } from '../../pipeline/detectors/detector-chain.js';
import type { AttributePredictor, FaceDetector, LandmarkFinder } from '../../pipeline/runner-types.js';
import type { RgbImage } from '../../types.js';
import type { Feeds } from './collect-ranges.js';

const require = createRequire(import.meta.url);

/** face-api's demo photos: six group photos, 22 faces. */
export function samplePhotoPaths(): string[] {
  const folder = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
  return [1, 2, 3, 4, 5, 6].map((n) => path.join(folder, `sample${n}.jpg`));
}

/** How a variant is made from a photo. */
export interface PhotoVariant {
  name: string;
  mirror?: boolean;
  /** Longer side after resizing, in pixels. */
  longSide?: number;
  /** Keep this fraction of the width and height, centred. */
  centreCrop?: number;
}

/** The variants calibration uses: the photo, mirrored, at 1024 and 640 px, and a centre crop (larger faces). */
export const CALIBRATION_VARIANTS: readonly PhotoVariant[] = [
  { name: 'original' },
  { name: 'mirrored', mirror: true },
  { name: '1024px', longSide: 1024 },
  { name: '640px-mirrored', longSide: 640, mirror: true },
  { name: 'centre-crop', centreCrop: 0.6 },
];

/** One photo variant decoded to RGB. */
export async function loadVariant(file: string, variant: PhotoVariant): Promise<RgbImage> {
  let image = sharp(file).removeAlpha();
  if (variant.centreCrop) {
    const { width = 0, height = 0 } = await sharp(file).metadata();
    const w = Math.round(width * variant.centreCrop);
    const h = Math.round(height * variant.centreCrop);
    image = image.extract({ left: Math.round((width - w) / 2), top: Math.round((height - h) / 2), width: w, height: h });
  }
  if (variant.mirror) image = image.flop();
  if (variant.longSide) image = image.resize(variant.longSide, variant.longSide, { fit: 'inside' });
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/** A session that records (copies of) every feed it runs. */
export function recording(session: InferenceSession, feeds: Feeds[]): InferenceSession {
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    run: async (feed: Feeds) => {
      const copy: Feeds = {};
      for (const [name, tensor] of Object.entries(feed)) {
        copy[name] = new ort.Tensor('float32', Float32Array.from(tensor.data as Float32Array), tensor.dims);
      }
      feeds.push(copy);
      return session.run(feed);
    },
  } as unknown as InferenceSession;
}

/** The converted float32 bytes of a built-in model. */
export async function convertFloat(model: ModelDefinition): Promise<Uint8Array> {
  return model.convert(sourceFolder(model));
}

/**
 * What each of the default profile's networks is fed when the float32
 * pipeline analyses every calibration variant of `photos`, by model id.
 *
 * @example
 *   const inputs = await recordCalibrationInputs(samplePhotoPaths());
 *   inputs.get('faceapi-ssd-mobilenetv1')!.length; // 30 (6 photos x 5 variants)
 */
export async function recordCalibrationInputs(
  photos: readonly string[],
  variants: readonly PhotoVariant[] = CALIBRATION_VARIANTS,
  ids = { detector: 'faceapi-ssd-mobilenetv1', landmarks: 'faceapi-landmarks-68', attributes: 'faceapi-age-gender', tiny: 'faceapi-tiny-face-detector' },
): Promise<Map<string, Feeds[]>> {
  const recorded = new Map<string, Feeds[]>(Object.values(ids).map((id) => [id, []]));
  const open = async (id: string) => {
    const model = findModel(id);
    const session = await ort.InferenceSession.create(await convertFloat(model), { graphOptimizationLevel: 'all', intraOpNumThreads: 2 });
    return { model, session: recording(session, recorded.get(id)!) };
  };
  const detector = await open(ids.detector);
  const tiny = await open(ids.tiny);
  const landmarks = await open(ids.landmarks);
  const attributes = await open(ids.attributes);
  const ssd = (await detector.model.runner())(detector.session) as FaceDetector;
  const runners: LoadedRunners = {
    // The default profile's first detector, with its border retry (the fallback is not calibrated).
    detector: chainFromSpec(linksOf(ids.detector, 'retry'), () => ssd),
    landmarks: { id: ids.landmarks, runner: (await landmarks.model.runner())(landmarks.session) as LandmarkFinder },
    attributeModels: [{ id: ids.attributes, runner: (await attributes.model.runner())(attributes.session) as AttributePredictor }],
    answers: { age: { models: [ids.attributes], combine: 'alone' }, gender: { models: [ids.attributes], combine: 'alone' } },
  };
  const tinyRunner = (await tiny.model.runner())(tiny.session) as FaceDetector;
  for (const photo of photos) {
    for (const variant of variants) {
      const image = await loadVariant(photo, variant);
      await analyzeFaces({ image }, DEFAULT_ANALYZE_OPTIONS, runners);
      await tinyRunner.detect(image, { minScore: DEFAULT_ANALYZE_OPTIONS.minScore, maxFaces: DEFAULT_ANALYZE_OPTIONS.maxFaces });
    }
  }
  return recorded;
}
