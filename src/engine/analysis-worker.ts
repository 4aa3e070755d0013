/**
 * A worker thread of the analysis pool. It loads its own onnxruntime
 * sessions once (piscina waits for this module's promise before giving it
 * work) and then analyses photos; inference never runs on the main thread.
 */
import sharp from 'sharp';
import { workerData } from 'piscina';
import { isFaceReadError, type ErrorCode } from '../errors.js';
import type { DecodeOptions } from '../image/decode.js';
import { findModel } from '../models/registry.js';
import type { ResolvedAnalyzeOptions } from '../pipeline/analyze-options.js';
import { analyzePhoto, type LoadedRunners } from '../pipeline/analyze-photo.js';
import type { AnalysisResult } from '../types.js';
import { createSession } from './session-options.js';

export interface StoredModelRef {
  id: string;
  path: string;
}

export interface WorkerSetup {
  detector: StoredModelRef;
  landmarks?: StoredModelRef;
  attributes: StoredModelRef[];
  intraOpThreads: number;
  decode: DecodeOptions;
}

export interface AnalysisTask {
  bytes: Uint8Array;
  options: ResolvedAnalyzeOptions;
}

/** Errors cross the thread boundary as plain data: structured clone drops an Error's code. */
export type AnalysisOutcome = { ok: true; result: AnalysisResult } | { ok: false; error: { code: ErrorCode; message: string } };

async function loadRunners(setup: WorkerSetup): Promise<LoadedRunners> {
  const load = async (ref: StoredModelRef) => {
    const model = findModel(ref.id);
    const [session, factory] = await Promise.all([createSession(ref.path, setup.intraOpThreads), model.runner()]);
    return { model, runner: (factory as (s: typeof session) => unknown)(session) };
  };
  const detector = await load(setup.detector);
  const landmarks = setup.landmarks ? await load(setup.landmarks) : undefined;
  const attributes = await Promise.all(setup.attributes.map(load));
  return {
    detector: { id: detector.model.id, runner: detector.runner as LoadedRunners['detector']['runner'] },
    landmarks: landmarks && { id: landmarks.model.id, runner: landmarks.runner as NonNullable<LoadedRunners['landmarks']>['runner'] },
    attributes: attributes.map(({ model, runner }) => ({
      id: model.id,
      provides: model.role === 'attributes' ? model.provides : [],
      runner: runner as LoadedRunners['attributes'][number]['runner'],
    })),
  };
}

/** Sent once to each worker at start so model loading errors surface before the first photo. */
export interface WarmupTask {
  warmup: true;
}

async function initialize(): Promise<(task: AnalysisTask | WarmupTask) => Promise<AnalysisOutcome | null>> {
  const setup = workerData as WorkerSetup;
  // Uploads are decoded once each; sharp's operation cache would only hold memory.
  sharp.cache(false);
  const runners = await loadRunners(setup);
  return async (task) => {
    if ('warmup' in task) return null;
    const { bytes, options } = task;
    try {
      const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return { ok: true, result: await analyzePhoto(buffer, options, runners, setup.decode) };
    } catch (error) {
      if (isFaceReadError(error)) return { ok: false, error: error.toJSON() };
      throw error;
    }
  };
}

export default initialize();
