/**
 * One photo through the stages: decode -> detect -> landmarks -> attributes
 * -> result. Runs inside a worker thread with runners already loaded; every
 * stage is timed. Coordinates come back in the original image's pixels.
 */
import { decodeImage, type DecodeOptions } from '../image/decode.js';
import type { AnalysisResult, Detection, FaceResult, Point } from '../types.js';
import { bucketForAge } from './age-buckets.js';
import type { ResolvedAnalyzeOptions } from './analyze-options.js';
import type { AttributePrediction, AttributePredictor, FaceDetector, LandmarkFinder } from './runner-types.js';

export interface LoadedRunners {
  detector: { id: string; runner: FaceDetector };
  landmarks?: { id: string; runner: LandmarkFinder };
  /** In order of preference: the first model that provides an attribute answers for it. */
  attributes: { id: string; provides: readonly string[]; runner: AttributePredictor }[];
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

function toOriginal(face: Detection, scale: { x: number; y: number }, limits: { width: number; height: number }): FaceResult {
  const x = Math.max(0, face.box.x * scale.x);
  const y = Math.max(0, face.box.y * scale.y);
  const result: FaceResult = {
    box: {
      x: round(x, 1),
      y: round(y, 1),
      width: round(Math.min(limits.width, (face.box.x + face.box.width) * scale.x) - x, 1),
      height: round(Math.min(limits.height, (face.box.y + face.box.height) * scale.y) - y, 1),
    },
    score: round(face.score, 4),
  };
  if (face.landmarks) result.landmarks = face.landmarks.map(([px, py]): Point => [round(px * scale.x, 1), round(py * scale.y, 1)]);
  return result;
}

/** Which attribute model answers for each requested attribute (first provider wins). */
function chooseAttributeModels(runners: LoadedRunners, wanted: readonly string[]) {
  const chosen = new Map<string, LoadedRunners['attributes'][number]>();
  for (const attribute of wanted) {
    const model = runners.attributes.find((m) => m.provides.includes(attribute));
    if (model) chosen.set(attribute, model);
  }
  return chosen;
}

async function predictAttributes(
  runners: LoadedRunners,
  options: ResolvedAnalyzeOptions,
  image: Parameters<AttributePredictor['predict']>[0],
  faces: Detection[],
) {
  const chosen = chooseAttributeModels(runners, options.attributes);
  const predictions = new Map<string, AttributePrediction[]>();
  if (faces.length > 0) {
    for (const model of new Set(chosen.values())) predictions.set(model.id, await model.runner.predict(image, faces));
  }
  return { chosen, predictions };
}

/** Analyses one encoded photo; throws FaceReadError for images it cannot read. */
export async function analyzePhoto(
  bytes: Buffer,
  options: ResolvedAnalyzeOptions,
  runners: LoadedRunners,
  decodeOptions: DecodeOptions,
): Promise<AnalysisResult> {
  const start = performance.now();
  const { image, original, scale } = await decodeImage(bytes, decodeOptions);
  const decoded = performance.now();

  const faces = await runners.detector.runner.detect(image, { minScore: options.minScore, maxFaces: options.maxFaces });
  if (runners.landmarks && faces.length > 0) {
    const points = await runners.landmarks.runner.locate(image, faces);
    faces.forEach((face, i) => (face.landmarks ??= points[i]));
  }
  const detected = performance.now();

  const { chosen, predictions } = await predictAttributes(runners, options, image, faces);
  const attributed = performance.now();

  const ageModel = chosen.get('age');
  const genderModel = chosen.get('gender');
  const results = faces.map((face, i) => {
    const result = toOriginal(face, scale, original);
    const gender = genderModel && predictions.get(genderModel.id)?.[i]?.gender;
    if (gender) result.gender = { label: gender.label, probability: round(gender.probability, 4) };
    const years = ageModel && predictions.get(ageModel.id)?.[i]?.ageYears;
    if (years !== undefined && years !== null) result.age = { years: round(years, 1), bucket: bucketForAge(years) };
    return result;
  });

  return {
    image: original,
    faces: results,
    timingsMs: {
      decode: round(decoded - start, 2),
      detect: round(detected - decoded, 2),
      attributes: round(attributed - detected, 2),
      total: round(attributed - start, 2),
    },
    models: { detector: runners.detector.id, age: ageModel?.id ?? null, gender: genderModel?.id ?? null },
  };
}
