/**
 * The stages after decoding: detect -> landmarks -> attributes, run inside
 * an analysis worker with its runners already loaded. Faces come back in the
 * coordinates of the image given; `assemble-result.ts` maps them to the
 * original photo on the caller's side.
 */
import type { AttributeAnswer } from '../models/profiles.js';
import type { AnalysisResult, Attribute, Detection, FaceResult } from '../types.js';
import { bucketForAge } from './age-buckets.js';
import { combineAge, combineGender } from './attributes/combine-predictions.js';
import type { DetectorChain } from './detectors/detector-chain.js';
import type { ResolvedAnalyzeOptions } from './analyze-options.js';
import { faceViews, type PhotoPixels } from './face-views.js';
import type { AttributePrediction, AttributePredictor, LandmarkFinder } from './runner-types.js';

export interface LoadedRunners {
  /** The profile's detector chain: each link runs only when the ones before found no face. */
  detector: DetectorChain;
  landmarks?: { id: string; runner: LandmarkFinder };
  /** Every attribute model of the profile, once each. */
  attributeModels: { id: string; runner: AttributePredictor }[];
  /** Who answers each attribute and how their answers combine (src/models/profiles.ts). */
  answers: Readonly<Partial<Record<Attribute, AttributeAnswer>>>;
}

type AttributeModel = LoadedRunners['attributeModels'][number];

/** What the worker sends back for one photo. */
export interface FaceAnalysis {
  /** Unrounded, in the pixels of the image the worker was given. */
  faces: FaceResult[];
  detectMs: number;
  attributesMs: number;
  models: AnalysisResult['models'];
}

/** The models answering each requested attribute, as the profile says. */
function chooseAttributeModels(runners: LoadedRunners, wanted: readonly Attribute[]) {
  const chosen = new Map<Attribute, { models: AttributeModel[]; combine: AttributeAnswer['combine'] }>();
  for (const attribute of wanted) {
    const answer = runners.answers[attribute];
    if (!answer) continue;
    const models = answer.models.map((id) => runners.attributeModels.find((m) => m.id === id)!);
    chosen.set(attribute, { models: answer.combine === 'alone' ? models.slice(0, 1) : models, combine: answer.combine });
  }
  return chosen;
}

/** The pixels a face's longer side needs for every runner that crops it (unset: as many as the working photo has). */
function cropSideOf(runners: readonly ({ cropSide?: number } | undefined)[]): number {
  return Math.max(0, ...runners.map((runner) => (runner ? (runner.cropSide ?? Infinity) : 0)));
}

/** Landmarks, then each chosen model's predictions, view by view; results in the photo's face order. */
async function cropStages(runners: LoadedRunners, chosen: ReturnType<typeof chooseAttributeModels>, photo: PhotoPixels, faces: Detection[]) {
  const models = [...new Set([...chosen.values()].flatMap((c) => c.models))];
  const predictions = new Map<string, AttributePrediction[]>(models.map((m) => [m.id, []]));
  if (faces.length === 0) return predictions;
  const cropSide = cropSideOf([runners.landmarks?.runner, ...models.map((m) => m.runner)]);
  for (const view of await faceViews(photo, faces, cropSide)) {
    if (runners.landmarks) {
      const points = await runners.landmarks.runner.locate(view.image, view.faces);
      view.faces.forEach((face, j) => {
        face.landmarks ??= points[j];
        faces[view.indices[j]!]!.landmarks ??= face.landmarks!.map(view.toPhoto);
      });
    }
    for (const model of models) {
      const answers = await model.runner.predict(view.image, view.faces);
      answers.forEach((answer, j) => (predictions.get(model.id)![view.indices[j]!] = answer));
    }
  }
  return predictions;
}

const modelIds = (models: readonly AttributeModel[] | undefined) => (models ? models.map((m) => m.id).join('+') : null);

/** Finds the faces of a decoded photo and tells their gender and age. */
export async function analyzeFaces(photo: PhotoPixels, options: ResolvedAnalyzeOptions, runners: LoadedRunners): Promise<FaceAnalysis> {
  const start = performance.now();
  const found = await runners.detector.detectWithLink(photo.image, { minScore: options.minScore, maxFaces: options.maxFaces });
  const faces = found.faces;
  const detected = performance.now();
  const chosen = chooseAttributeModels(runners, options.attributes);
  const predictions = await cropStages(runners, chosen, photo, faces);
  const ageModels = chosen.get('age')?.models;
  const genderModels = chosen.get('gender')?.models;
  const results = faces.map((face, i): FaceResult => {
    const result: FaceResult = { box: face.box, score: face.score };
    if (face.landmarks) result.landmarks = face.landmarks;
    const gender = genderModels && combineGender(genderModels.map((m) => predictions.get(m.id)?.[i]));
    if (gender) result.gender = gender;
    const age = ageModels && combineAge(ageModels.map((m) => predictions.get(m.id)?.[i]));
    if (typeof age?.ageYears === 'number') {
      result.age = { years: age.ageYears, bucket: bucketForAge(age.ageYears) };
      if (age.ageRange) result.age.range = age.ageRange;
      if (age.ageBucketProbabilities) result.age.bucketProbabilities = age.ageBucketProbabilities;
    }
    return result;
  });
  return {
    faces: results,
    detectMs: detected - start,
    attributesMs: performance.now() - detected,
    models: {
      detector: found.model ?? runners.detector.links[0]!.model ?? runners.detector.links[0]!.id,
      age: modelIds(ageModels),
      gender: modelIds(genderModels),
      ...(found.input ? { detectorInput: { width: found.input[0], height: found.input[1] } } : {}),
    },
  };
}
