/**
 * A worker thread of the analysis pool. It loads its own onnxruntime
 * sessions once (piscina waits for this module's promise before giving it
 * work) and then runs detection and attributes on decoded pixels; inference
 * never runs on the main thread. Decoding stays on the main thread's side
 * (sharp works off the JS thread), so workers start without loading sharp.
 */
import { workerData } from 'piscina';
import { isFaceReadError, type ErrorCode } from '../errors.js';
import { findImportedKind } from '../models/imported.js';
import { findModel } from '../models/registry.js';
import type { ResolvedAnalyzeOptions } from '../pipeline/analyze-options.js';
import { analyzeFaces, type FaceAnalysis, type LoadedRunners } from '../pipeline/analyze-photo.js';
import type { FaceDetector, LandmarkFinder, AttributePredictor } from '../pipeline/runner-types.js';
import type { ExecutionProvider } from './execution-provider.js';
import { createSession } from './session-options.js';

export interface StoredModelRef {
  id: string;
  path: string;
  /** Set for imported models: the kind whose runner drives them (src/models/imported.ts). */
  kind?: string;
}

export interface WorkerSetup {
  detector: StoredModelRef;
  landmarks?: StoredModelRef;
  attributes: StoredModelRef[];
  intraOpThreads: number;
  executionProvider: ExecutionProvider;
}

export interface AnalysisTask {
  /** RGB pixels, transferred (not copied) from the caller. */
  pixels: Uint8Array;
  width: number;
  height: number;
  options: ResolvedAnalyzeOptions;
}

/** Sent once to each worker at start so model loading errors surface before the first photo. */
export interface WarmupTask {
  warmup: true;
}

/** Errors cross the thread boundary as plain data: structured clone drops an Error's code. */
export type AnalysisOutcome = { ok: true; analysis: FaceAnalysis } | { ok: false; error: { code: ErrorCode; message: string } };

async function loadSession(ref: StoredModelRef, setup: WorkerSetup) {
  const definition = ref.kind ? findImportedKind(ref.kind) : findModel(ref.id);
  const session = await createSession(ref.path, setup.intraOpThreads, setup.executionProvider);
  // Results name the model by its id (an imported model's own id, not its kind's).
  return { model: { ...definition, id: ref.id } as typeof definition, session };
}

async function loadRunners(setup: WorkerSetup): Promise<LoadedRunners> {
  const detector = await loadSession(setup.detector, setup);
  if (detector.model.role !== 'detector') throw new RangeError(`${detector.model.id} is not a face detector`);
  const runners: LoadedRunners = {
    detector: { id: detector.model.id, runner: (await detector.model.runner())(detector.session) as FaceDetector },
    attributes: [],
  };
  if (setup.landmarks) {
    const { model, session } = await loadSession(setup.landmarks, setup);
    if (model.role !== 'landmarks') throw new RangeError(`${model.id} is not a landmark model`);
    runners.landmarks = { id: model.id, runner: (await model.runner())(session) as LandmarkFinder };
  }
  for (const ref of setup.attributes) {
    const { model, session } = await loadSession(ref, setup);
    if (model.role !== 'attributes') throw new RangeError(`${model.id} is not an age or gender model`);
    runners.attributes.push({ id: model.id, provides: model.provides, runner: (await model.runner())(session) as AttributePredictor });
  }
  return runners;
}

async function initialize(): Promise<(task: AnalysisTask | WarmupTask) => Promise<AnalysisOutcome | null>> {
  let runners: LoadedRunners;
  try {
    runners = await loadRunners(workerData as WorkerSetup);
  } catch (error) {
    // Answer every task (the warm-up first) with the reason instead of dying: a worker that dies
    // while loading races piscina's dispatch of the first task, which may then never settle.
    const failure: AnalysisOutcome = { ok: false, error: { code: 'MODEL_UNAVAILABLE', message: (error as Error).message } };
    return async () => failure;
  }
  const exitWidth = Number(process.env.FACEREAD_TEST_WORKER_EXIT_WIDTH) || 0;
  return async (task) => {
    if ('warmup' in task) return null;
    // Test-only (fault tests set it): a photo exactly this wide makes the worker die as a crash
    // would. Killing a worker from outside is no substitute: inside onnxruntime it aborts the process.
    if (exitWidth > 0 && task.width === exitWidth) process.exit(70);
    try {
      const image = { data: task.pixels, width: task.width, height: task.height };
      return { ok: true, analysis: await analyzeFaces(image, task.options, runners) };
    } catch (error) {
      if (isFaceReadError(error)) return { ok: false, error: error.toJSON() };
      throw error;
    }
  };
}

export default initialize();
