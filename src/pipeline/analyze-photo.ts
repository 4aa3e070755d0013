/**
 * The stages after decoding: detect -> landmarks -> attributes, run inside
 * an analysis worker with its runners already loaded. Faces come back in the
 * coordinates of the image given; `assemble-result.ts` maps them to the
 * original photo on the caller's side.
 */
import type { AttributeAnswer } from '../models/profiles.js';
import type { AnalysisResult, Attribute, Detection, FaceResult, Point, RgbImage } from '../types.js';
import type { ComputedSource, FaceMeasure, ModelSource } from '../attributes/attribute-definition.js';
import { ATTRIBUTE_DEFINITIONS, ATTRIBUTE_NAMES, attributesToRun, findAttribute, MODEL_ATTRIBUTES, setAttributeValue } from '../attributes/registry.js';
import type { DetectorChain } from './detectors/detector-chain.js';
import type { ResolvedAnalyzeOptions } from './analyze-options.js';
import { faceViews, type FaceView, type PhotoPixels } from './face-views.js';
import { fivePointsOf68 } from './landmarks/five-points.js';
import { boxToTurned, faceRolls, levelBy, levelFace, levelledStrip, photoTurn, QUARTERS, toTurned, turnBack, type LevelledFace, type QuarterTurn } from './level-faces.js';
import type { AttributePrediction, AttributePredictor, LandmarkFinder } from './runner-types.js';

export interface LoadedRunners {
  /** The profile's detector chain: each link runs only when the ones before found no face. */
  detector: DetectorChain;
  landmarks?: { id: string; runner: LandmarkFinder };
  /** Every attribute model of the profile loaded so far, once each. */
  attributeModels: { id: string; runner: AttributePredictor }[];
  /**
   * Models answering only attributes a photo must ask for (e.g. `expression`): loaded by the first
   * photo that asks (load-runners.ts `loadAskedModels`), so start-up and memory pay only for the defaults.
   */
  deferred?: Map<string, () => Promise<{ id: string; runner: AttributePredictor }>>;
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

/** Where each face is cropped from once levelled, with what the computed attributes read. */
export interface CroppedFace {
  view: FaceView;
  /** The face's index in the view. */
  j: number;
  /** The landmark model's 68 points, in the view's pixels. */
  points68?: Point[];
  /** The same points refined (LandmarkFinder `refine68`), in the view's pixels: only when an asked attribute needs them. */
  refinedPoints68?: Point[];
}

/** Whether any attribute to run needs the refined landmark pass (`pose`). */
const needsRefined = (running: readonly Attribute[]) =>
  ATTRIBUTE_DEFINITIONS.some((d) => running.includes(d.name) && d.source.kind === 'computed' && (d.source as ComputedSource<unknown>).needs === 'refinedLandmarks68');

/** The refined points of the faces measured in the photo, view by view (each view's faces in one batch). */
async function refineInPhoto(runners: LoadedRunners, inPhoto: CroppedFace[]): Promise<void> {
  const refine68 = runners.landmarks?.runner.refine68?.bind(runners.landmarks.runner);
  if (!refine68) return;
  const byView = new Map<FaceView, CroppedFace[]>();
  for (const face of inPhoto) if (face.points68) byView.set(face.view, [...(byView.get(face.view) ?? []), face]);
  for (const [view, faces] of byView) {
    const refined = await refine68(view.image, faces.map((f) => f.points68!));
    faces.forEach((face, k) => (face.refinedPoints68 = refined[k]));
  }
}

/**
 * Landmarks on the photo's views; then (with `level`: some model will crop the faces) the faces
 * whose heads are tilted by LEVEL_MIN_ROLL or more are cut out upright (level-faces.ts), all
 * into one view so that each model reads them in one batch. Returns each face's final view (where
 * the models crop it) and its view in the photo (where computed attributes measure it).
 */
async function locateAndLevel(runners: LoadedRunners, photo: PhotoPixels, faces: Detection[], cropSide: number, level: boolean): Promise<{ cropped: CroppedFace[]; inPhoto: CroppedFace[] }> {
  const views = await faceViews(photo, faces, cropSide);
  const cropped: CroppedFace[] = [];
  const finder = runners.landmarks?.runner;
  for (const view of views) {
    const points68 = finder?.locate68 ? await finder.locate68(view.image, view.faces) : undefined;
    const points = points68 ? points68.map(fivePointsOf68) : finder ? await finder.locate(view.image, view.faces) : undefined;
    view.faces.forEach((face, j) => {
      if (points) face.landmarks ??= points[j];
      cropped[view.indices[j]!] = { view, j, ...(points68 ? { points68: points68[j] } : {}) };
    });
  }
  // Where the computed attributes measure: the photo as it is (a levelled patch moved the network's points by a few degrees of pitch).
  const inPhoto = [...cropped];
  // The landmarks reported are those found in the photo.
  for (const [i, { view, j }] of cropped.entries()) faces[i]!.landmarks ??= view.faces[j]!.landmarks?.map(view.toPhoto);
  if (level && finder?.locate68) {
    const locate68 = finder.locate68.bind(finder);
    const levelled: { i: number; patch: LevelledFace }[] = [];
    for (const view of views) {
      // The photo is upright here (analyzeFaces turned it): only tilted heads are levelled.
      const rolls = await faceRolls(locate68, view.image, view.faces, 0, view.indices.map((i) => cropped[i]!.points68));
      for (const [j, faceRoll] of rolls.entries()) {
        const roll = levelBy(faceRoll, 0);
        if (roll === 0) continue;
        // The face keeps the points found in the photo, turned with it: the models crop levelled
        // faces by their boxes, so the landmark network is not run on the patch again.
        const patch = levelFace(view.image, view.faces[j]!, roll);
        levelled.push({ i: view.indices[j]!, patch: { ...patch, toPhoto: (p) => view.toPhoto(patch.toPhoto(p)) } });
      }
    }
    if (levelled.length > 0) {
      const strip = levelledStrip(levelled.map(({ patch }) => patch));
      const view: FaceView = { image: strip.image, faces: strip.faces, indices: levelled.map(({ i }) => i), toPhoto: strip.toPhoto };
      levelled.forEach(({ i }, k) => (cropped[i] = { view, j: k }));
    }
  }
  return { cropped, inPhoto };
}

/** The views as the models read them: each with only the faces whose final view it is. */
function finalViews(cropped: readonly CroppedFace[]): FaceView[] {
  const byView = new Map<FaceView, number[]>();
  for (const { view, j } of cropped) byView.set(view, [...(byView.get(view) ?? []), j]);
  return [...byView].map(([view, js]) => ({ ...view, faces: js.map((j) => view.faces[j]!), indices: js.map((j) => view.indices[j]!) }));
}

/**
 * Landmarks and levelling (with `refine`, the refined landmarks of the faces as the photo holds
 * them), then each chosen model's predictions, view by view; results in the photo's face order.
 */
async function cropStages(runners: LoadedRunners, chosen: ReturnType<typeof chooseAttributeModels>, photo: PhotoPixels, faces: Detection[], refine: boolean) {
  const models = [...new Set([...chosen.values()].flatMap((c) => c.models))];
  const predictions = new Map<string, AttributePrediction[]>(models.map((m) => [m.id, []]));
  if (faces.length === 0) return { predictions, inPhoto: [] };
  const cropSide = cropSideOf([runners.landmarks?.runner, ...models.map((m) => m.runner)]);
  const levelling = models.filter((m) => !m.runner.ownGeometry);
  const { cropped, inPhoto } = await locateAndLevel(runners, photo, faces, cropSide, levelling.length > 0);
  if (refine) await refineInPhoto(runners, inPhoto);
  const run = async (views: FaceView[], which: typeof models) => {
    for (const view of views) {
      for (const model of which) {
        const answers = await model.runner.predict(view.image, view.faces);
        answers.forEach((answer, j) => (predictions.get(model.id)![view.indices[j]!] = answer));
      }
    }
  };
  await run(finalViews(cropped), levelling);
  await run(finalViews(inPhoto), models.filter((m) => m.runner.ownGeometry));
  return { predictions, inPhoto };
}

const modelIds = (models: readonly AttributeModel[] | undefined) => (models ? models.map((m) => m.id).join('+') : null);

/**
 * Each model attribute's value for face `i`, from its models' predictions, in registry order: set on the
 * face when asked for (`wanted`); all of them returned, for the computed attributes that use them.
 */
function modelAnswers(result: FaceResult, i: number, chosen: ReturnType<typeof chooseAttributeModels>, predictions: Map<string, AttributePrediction[]>, wanted: readonly Attribute[]): Record<string, unknown> {
  const answered: Record<string, unknown> = {};
  for (const definition of ATTRIBUTE_DEFINITIONS) {
    const models = chosen.get(definition.name)?.models;
    if (!models || definition.source.kind !== 'models') continue;
    const value = (definition.source as ModelSource<unknown>).combine(models.map((m) => predictions.get(m.id)?.[i]));
    if (value === undefined) continue;
    answered[definition.name] = value;
    if (wanted.includes(definition.name)) setAttributeValue(result, definition.name, value);
  }
  return answered;
}

/** Each requested computed attribute (pose, quality, ...) of one face, measured in the (upright) photo. */
function computedAnswers(result: FaceResult, { view, j, points68, refinedPoints68 }: CroppedFace, wanted: readonly Attribute[], turn: number, answered: Readonly<Record<string, unknown>>): void {
  const face = view.faces[j]!;
  const [ox, oy] = view.toPhoto([0, 0]);
  const [ux, uy] = view.toPhoto([1, 0]);
  const measure: FaceMeasure = {
    image: view.image,
    box: face.box,
    pixelScale: Math.hypot(ux - ox, uy - oy),
    roll: turn,
    answered,
    ...(points68 ? { points68 } : {}),
    ...(refinedPoints68 ? { refinedPoints68 } : {}),
    ...(face.landmarks ? { landmarks: face.landmarks } : {}),
  };
  for (const definition of ATTRIBUTE_DEFINITIONS) {
    if (definition.source.kind !== 'computed' || !wanted.includes(definition.name)) continue;
    const value = (definition.source as ComputedSource<unknown>).compute(measure);
    if (value !== undefined) setAttributeValue(result, definition.name, value);
  }
}

/** The models that answered: age and gender always (null when not asked, as results always had them), other model attributes when they ran (asked for, or used by one asked for). */
function answeringModels(chosen: ReturnType<typeof chooseAttributeModels>, running: readonly Attribute[]): Pick<FaceAnalysis['models'], 'age' | 'gender'> & Partial<Record<Attribute, string | null>> {
  const models: Record<string, string | null> = {};
  // Sorted names: `age` before `gender`, as results always had them.
  for (const name of ATTRIBUTE_NAMES.filter((n) => MODEL_ATTRIBUTES.includes(n))) {
    if (findAttribute(name).byDefault || running.includes(name)) models[name] = modelIds(chosen.get(name)?.models);
  }
  return models as { age: string | null; gender: string | null };
}

/** Finds the faces of a decoded photo and tells their attributes. */
export async function analyzeFaces(photo: PhotoPixels, options: ResolvedAnalyzeOptions, runners: LoadedRunners): Promise<FaceAnalysis> {
  const start = performance.now();
  const detectOptions = { minScore: options.minScore, maxFaces: options.maxFaces };
  let found = await runners.detector.detectWithLink(photo.image, detectOptions);
  // A photo turned a quarter or more without an EXIF tag is put upright and its faces found again there (level-faces.ts).
  const locate68 = runners.landmarks?.runner.locate68?.bind(runners.landmarks.runner);
  // Only when asked (orientation 'auto': the test costs landmark runs on every photo, up to three
  // detector runs on some) and something is asked of the faces: boxes are found in any orientation.
  const guess = options.orientation === 'auto' && locate68 && found.faces.length > 0 && options.attributes.length > 0 ? await photoTurn(locate68, photo.image, found.faces) : 0;
  let working = photo;
  let turn: QuarterTurn = 0;
  if (guess !== 0) {
    // Confirmed by the detector, which finds more faces in the upright photo (a tilted face alone can
    // mislead the landmark test): every turn is looked at, the most faces win, then the test's guess.
    // Upright photos the test reads as upright (nearly all) pay none of this.
    let best = { turn: 0 as QuarterTurn, found, image: photo.image };
    for (const quarter of QUARTERS.slice(1)) {
      const image = turnBack(photo.image, quarter);
      const there = await runners.detector.detectWithLink(image, detectOptions);
      const better = there.faces.length > best.found.faces.length || (there.faces.length === best.found.faces.length && quarter === guess);
      if (better) best = { turn: quarter, found: there, image };
    }
    // The reduced decode's sharper band is given up for turned photos: its rectangles are the turned photo's.
    if (best.turn !== 0) {
      turn = best.turn;
      found = best.found;
      working = { image: best.image };
    }
  }
  const faces = found.faces;
  const detected = performance.now();
  // Asked-for attributes and the model attributes they use (smile reads expression).
  const running = attributesToRun(options.attributes);
  const chosen = chooseAttributeModels(runners, running);
  const { predictions, inPhoto } = await cropStages(runners, chosen, working, faces, needsRefined(running));
  const { width, height } = photo.image;
  const results = faces.map((face, i): FaceResult => {
    const result: FaceResult = { box: boxToTurned(face.box, turn, width, height), score: face.score };
    if (face.landmarks) result.landmarks = face.landmarks.map((p) => toTurned(p, turn, width, height));
    const answered = modelAnswers(result, i, chosen, predictions, options.attributes);
    if (inPhoto[i]) computedAnswers(result, inPhoto[i]!, options.attributes, turn, answered);
    return result;
  });
  return {
    faces: results,
    detectMs: detected - start,
    attributesMs: performance.now() - detected,
    models: {
      detector: found.model ?? runners.detector.links[0]!.model ?? runners.detector.links[0]!.id,
      ...answeringModels(chosen, running),
      ...(found.input ? { detectorInput: { width: found.input[0], height: found.input[1] } } : {}),
    },
  };
}
