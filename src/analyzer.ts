/**
 * The library entry: `createAnalyzer` makes sure the profile's models are
 * in the store (converting them on first use), starts a pool of worker
 * threads that each hold their own onnxruntime sessions, and returns an
 * Analyzer whose calls never block the caller's event loop.
 *
 * @example
 *   import { createAnalyzer } from 'faceread';
 *   const analyzer = await createAnalyzer();
 *   const result = await analyzer.analyze('group.jpg', { minScore: 0.6 });
 *   for (const face of result.faces) console.log(face.gender?.label, face.age?.years);
 *   await analyzer.close();
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import PQueue from 'p-queue';
import { Piscina } from 'piscina';
import type { AnalysisOutcome, AnalysisTask, WarmPipelineTask, WarmupTask, WorkerSetup } from './engine/analysis-worker.js';
import { EXECUTION_PROVIDERS, type ExecutionProvider } from './engine/execution-provider.js';
import type { DecodeOptions } from './image/decode.js';
import { loadSharp } from './image/load-sharp.js';
import { assembleResult } from './pipeline/assemble-result.js';
import { FaceReadError, invalidOption, isFaceReadError } from './errors.js';
import { peekStoredProfile, resolveStoredProfile, type StoredProfile } from './models/prepare.js';
import { PRECISION_CHOICES, type PrecisionChoice } from './models/precision.js';
import { DEFAULT_PROFILE } from './models/profiles.js';
import { resolveAnalyzeOptions, type ResolvedAnalyzeOptions } from './pipeline/analyze-options.js';
import type { AnalysisResult, AnalyzeOptions, Analyzer } from './types.js';

// onnxruntime-node sends usage telemetry over HTTPS unless told not to; FaceRead never talks to the
// network at run time. Set before any worker loads onnxruntime (workers share this environment).
process.env.ORT_DISABLE_TELEMETRY ??= '1';

export interface AnalyzerOptions {
  /** Model profile (see `faceread models list`); default `default`. */
  profile?: string;
  /** Model store folder; default `$FACEREAD_MODEL_DIR` or `~/.faceread/models`. */
  modelDir?: string;
  /** Worker threads analysing photos side by side; default 1 (see intraOpThreads). */
  poolSize?: number;
  /** onnxruntime threads inside each worker; default 2 on two or more cores. */
  intraOpThreads?: number;
  /** Refuse photos with more pixels than this; default 50 million. */
  maxPixels?: number;
  /** Photos are downscaled so their longer side is at most this before analysis (0: never); default 2048. */
  workingSide?: number;
  /** Where the networks run: `cpu`, or `cuda` with onnxruntime-node's CUDA files; default `$FACEREAD_EXECUTION_PROVIDER` or `cpu`. */
  executionProvider?: ExecutionProvider;
  /**
   * Network precision: `int8`, `fp32`, or `auto` (each model's default: int8 where it matched
   * float32 on the dev sets, see docs/accuracy.md); default `$FACEREAD_PRECISION` or `auto`.
   */
  precision?: PrecisionChoice;
  /**
   * Answer with the profile's models as they are, without the calibration `faceread calibrate`
   * fitted into it (what a new calibration is fitted on); default false.
   */
  uncalibrated?: boolean;
  /** Defaults for per-photo options. */
  defaults?: AnalyzeOptions;
  /** Where progress notes go (model conversion, start-up); default nowhere. */
  log?: (message: string) => void;
  /**
   * Called once the worker threads have been started on the stored models (or found none to
   * start on): a server loads its HTTP stack after this, so that the workers' start does not wait
   * behind module loading on this thread.
   */
  onWorkersStarting?: () => void;
  /**
   * Once the models are loaded, the workers run the pipeline on a made-up photo (warm-pipeline.ts),
   * after ready rather than before, so that the first real photo is answered at full speed (here
   * ~310 ms against ~90 for later ones without it). A photo that comes first waits for it. Default
   * false: a one-photo CLI run would pay it for nothing; the server turns it on.
   */
  warmUp?: boolean;
}

export const ANALYZER_DEFAULTS = Object.freeze({
  profile: DEFAULT_PROFILE,
  // Measured on 2 cores (npm run bench): 1 worker x 2 threads answers one photo fastest and
  // holds one copy of the models (~340 MB peak against ~500 MB for 2 x 1), for ~15% fewer
  // photos/s at saturation than 2 workers x 1 thread.
  poolSize: 1,
  intraOpThreads: Math.max(1, Math.min(2, os.availableParallelism())),
  maxPixels: 50_000_000,
  workingSide: 2048,
  executionProvider: (process.env.FACEREAD_EXECUTION_PROVIDER || 'cpu') as ExecutionProvider,
  precision: (process.env.FACEREAD_PRECISION || 'auto') as PrecisionChoice,
});

function positiveInteger(name: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw invalidOption(name, `an integer between 1 and ${max}`, value);
  }
  return value;
}

/** piscina's rejection of the tasks a worker held when it died. */
const isWorkerDeath = (error: unknown) => error instanceof Error && /terminating worker thread|worker.*exit/i.test(error.message);

function toFaceReadError(error: unknown, signal?: AbortSignal): FaceReadError {
  if (isFaceReadError(error)) return error;
  if (signal?.aborted) {
    const reason = signal.reason as Error | undefined;
    return new FaceReadError('TIMEOUT', `The analysis was stopped: ${reason?.message ?? 'aborted'}`, { cause: error });
  }
  if (isWorkerDeath(error)) {
    return new FaceReadError('WORKER_CRASHED', 'The worker analysing this photo stopped; it has been replaced. Retry the request.', { cause: error });
  }
  return new FaceReadError('INTERNAL_ERROR', 'The analysis failed unexpectedly.', { cause: error });
}

async function readInput(input: Buffer | string): Promise<Buffer> {
  if (typeof input === 'string') {
    try {
      return await readFile(input);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      throw new FaceReadError('NOT_FOUND', `Cannot read ${input}: ${code === 'ENOENT' ? 'no such file' : (cause as Error).message}`, { cause });
    }
  }
  const value: unknown = input;
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw invalidOption('input', 'a Buffer or a file path', value);
}

/**
 * The compiled worker module. Under a TypeScript loader (tsx, in development)
 * this file is .ts and worker threads do not inherit the loader, so the
 * compiled copy in dist/ (from `npm run build`) is used.
 */
function workerFile(): string {
  const here = new URL(import.meta.url);
  if (path.extname(here.pathname) !== '.ts') return new URL('./engine/analysis-worker.js', here).href;
  return new URL('../dist/src/engine/analysis-worker.js', here).href;
}

/** `work`'s outcome, or a rejection as soon as `signal` aborts (work then goes on, its outcome dropped). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => {}); // settled after an abort: nobody is listening then
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Stops a pool whose workers may still be loading their models. Terminating a worker while
 * onnxruntime creates a session aborts the whole process ("terminate called after throwing an
 * instance of 'Napi::Error'"), so first give each worker a warm-up task: a worker takes tasks
 * only once its module (and so its model loading, failed or not) has finished. Piscina's own
 * ready state cannot tell: it counts the first workers ready from the start.
 */
async function retirePool(pool: Piscina): Promise<void> {
  await Promise.allSettled(warmUp(pool, pool.threads.length));
  await pool.destroy();
}

/**
 * Photos a worker holds at once: sharp decodes the second on libuv's threads while onnxruntime
 * runs the first on the worker's thread.
 */
const TASKS_PER_WORKER = 2;

/**
 * Warm-up tasks that fill every worker's slots, so each worker gets some; each is answered once
 * that worker's models are loaded (or failed to).
 */
function warmUp(pool: Piscina, workers: number): Promise<AnalysisOutcome | null>[] {
  const task: WarmupTask = { warmup: true };
  return Array.from({ length: workers * TASKS_PER_WORKER }, () => pool.run(task));
}

/** Loads the models (converting them into the store if needed) and starts the worker pool. */
export async function createAnalyzer(options: AnalyzerOptions = {}): Promise<Analyzer> {
  const settings = { ...ANALYZER_DEFAULTS, ...options };
  const poolSize = positiveInteger('poolSize', settings.poolSize, 64);
  const intraOpThreads = positiveInteger('intraOpThreads', settings.intraOpThreads, 64);
  const maxPixels = positiveInteger('maxPixels', settings.maxPixels, 1_000_000_000);
  if (typeof settings.workingSide !== 'number' || !Number.isInteger(settings.workingSide) || settings.workingSide < 0) {
    throw invalidOption('workingSide', 'a non-negative integer', settings.workingSide);
  }
  if (!(EXECUTION_PROVIDERS as readonly unknown[]).includes(settings.executionProvider)) {
    throw invalidOption('executionProvider (FACEREAD_EXECUTION_PROVIDER)', `one of: ${EXECUTION_PROVIDERS.join(', ')}`, settings.executionProvider);
  }
  if (!(PRECISION_CHOICES as readonly unknown[]).includes(settings.precision)) {
    throw invalidOption('precision (FACEREAD_PRECISION)', `one of: ${PRECISION_CHOICES.join(', ')}`, settings.precision);
  }
  const defaults = resolveAnalyzeOptions(settings.defaults);
  const decodeOptions: DecodeOptions = { maxPixels, workingSide: settings.workingSide };
  const startPool = (files: StoredProfile) => {
    const pool = new Piscina({
      filename: workerFile(),
      minThreads: poolSize,
      maxThreads: poolSize,
      idleTimeout: Infinity,
      concurrentTasksPerWorker: TASKS_PER_WORKER,
      workerData: { ...files, intraOpThreads, executionProvider: settings.executionProvider } satisfies WorkerSetup,
      // Photos wait in this process's queue; the HTTP layer bounds it.
      maxQueue: Infinity,
    });
    // A worker that dies while idle is replaced by piscina; without a listener the error would end the process.
    pool.on('error', (error: Error) => settings.log?.(`analysis worker failed: ${error.message}`));
    return pool;
  };

  // Workers start loading the files the manifest lists while their hashes are checked; if the
  // check had to convert anything, those workers are replaced by ones that load the new files.
  const listed = await peekStoredProfile(settings.profile, settings.modelDir, settings.precision);
  let pool = listed && startPool(listed);
  settings.onWorkersStarting?.();
  let verified;
  try {
    verified = await resolveStoredProfile(settings.profile, settings.modelDir, settings.log, settings.precision);
  } catch (error) {
    if (pool) await retirePool(pool);
    throw error;
  }
  if (!pool || verified.converted) {
    if (pool) await retirePool(pool);
    pool = startPool(verified);
  }
  // sharp (this thread draws annotated photos with it) is loaded while the workers load their
  // models, once they have started: loading it first held their start back by ~45 ms.
  const decoderLoaded = loadSharp();
  decoderLoaded.catch(() => {}); // awaited below, after the workers; a failure is reported there
  // Fail now, not on the first photo, if a worker cannot load its models: one task each while all are idle.
  try {
    const outcomes = await Promise.all(warmUp(pool, poolSize));
    const failed = outcomes.find((outcome) => outcome && !outcome.ok);
    if (failed && !failed.ok) throw new Error(failed.error.message);
  } catch (cause) {
    await pool.destroy();
    throw new FaceReadError('MODEL_UNAVAILABLE', `The analysis workers could not load their models: ${(cause as Error).message}`, { cause });
  }
  try {
    await decoderLoaded;
  } catch (error) {
    await pool.destroy();
    throw error;
  }
  if (settings.warmUp) {
    // Not awaited: the analyzer is ready now; a photo that comes meanwhile waits for the warm-up in its worker.
    const task: WarmPipelineTask = { warmPipeline: decodeOptions };
    for (let i = 0; i < poolSize; i++) pool.run(task).catch((error: Error) => settings.log?.(`the pipeline's warm-up failed (photos are analysed all the same): ${error.message}`));
  }
  // Applied on this thread as each result is assembled (a few numbers a face).
  const calibration = settings.uncalibrated ? undefined : verified.calibration;
  // Photos beyond this wait still encoded: decoding them all at once under load would only
  // fill memory with pixels that no worker is free to look at yet.
  const admission = new PQueue({ concurrency: poolSize * TASKS_PER_WORKER });
  const retries = new PQueue({ concurrency: 1 });

  const analyzeAdmitted = async (input: Buffer | string, resolved: ResolvedAnalyzeOptions, signal?: AbortSignal): Promise<AnalysisResult> => {
    const started = performance.now();
    const bytes = await readInput(input);
    const task: AnalysisTask = { bytes, decode: decodeOptions, options: resolved };
    // No signal for piscina: on abort it terminates the worker running the task, and terminating a
    // worker inside onnxruntime aborts the whole process. A timed-out photo finishes in its worker
    // (keeping its admission slot) while its caller is answered at once (see analyze below).
    signal?.throwIfAborted();
    // The bytes are copied to the worker (an upload is a few hundred KB; the caller keeps its buffer).
    let outcome: AnalysisOutcome;
    try {
      outcome = await pool.run(task);
    } catch (error) {
      // A dying worker takes every photo it held; only one of them killed it. Each gets one more
      // try, one retry at a time (so a culprit's second try takes no other retried photo with it):
      // the others get their answers and the culprit fails.
      if (!isWorkerDeath(error)) throw error;
      outcome = (await retries.add(() => pool.run(task))) as AnalysisOutcome;
    }
    if (!outcome.ok) throw new FaceReadError(outcome.error.code, outcome.error.message);
    const { decoded, decodeMs, analysis } = outcome.photo;
    return assembleResult(decoded, analysis, { decodeMs, totalMs: performance.now() - started }, calibration);
  };

  const analyzer: Analyzer = {
    async analyze(input: Buffer | string, photoOptions?: AnalyzeOptions, control: { signal?: AbortSignal } = {}): Promise<AnalysisResult> {
      const resolved = resolveAnalyzeOptions(photoOptions, defaults);
      const { signal } = control;
      try {
        const work = admission.add(() => analyzeAdmitted(input, resolved, signal), { signal });
        return await (signal ? untilAborted(work, signal) : work);
      } catch (error) {
        throw toFaceReadError(error, signal);
      }
    },
    load: () => ({ queued: admission.size + pool.queueSize, running: admission.pending - pool.queueSize }),
    async close() {
      await admission.onIdle();
      await pool.close();
    },
  };
  livePools.set(analyzer, pool);
  return analyzer;
}

/** Each analyzer's pool, for `workerThreadsOf` only; weak, so a dropped analyzer is not kept. */
const livePools = new WeakMap<Analyzer, Piscina>();

/**
 * The worker threads analysing photos for `analyzer` right now (replaced ones included once started).
 * For fault tests, which check that a dead worker is replaced. Not part of the package's exports.
 * (Killing one from outside with `terminate()` is no way to test: while it runs onnxruntime that
 * aborts the whole process; see FACEREAD_TEST_WORKER_EXIT_WIDTH in engine/analysis-worker.ts.)
 */
export function workerThreadsOf(analyzer: Analyzer): readonly Worker[] {
  return livePools.get(analyzer)?.threads ?? [];
}
