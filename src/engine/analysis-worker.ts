/**
 * A worker thread of the analysis pool. It loads its own onnxruntime
 * sessions once (piscina waits for this module's promise before giving it
 * work) and then takes a photo's encoded bytes through the whole flow:
 * decode (reduced for large JPEGs, see decode.ts) -> detect -> crop -> attributes.
 * Inference never runs on the main thread, and decoded pixels never cross
 * threads. sharp decodes on libuv's threads, so a worker given two photos
 * at once decodes the next while its onnxruntime call runs.
 */
import { workerData } from 'piscina';
import { isFaceReadError, type ErrorCode } from '../errors.js';
import { decodeImage, decodeRegion, type DecodedImage, type DecodeOptions } from '../image/decode.js';
import type { Box } from '../types.js';
import type { StoredProfile } from '../models/prepare.js';
import type { ResolvedAnalyzeOptions } from '../pipeline/analyze-options.js';
import { analyzeFaces, type FaceAnalysis, type LoadedRunners } from '../pipeline/analyze-photo.js';
import type { PhotoPixels, SharperRegion } from '../pipeline/face-views.js';
import type { ExecutionProvider } from './execution-provider.js';
import { oneAtATime } from './one-at-a-time.js';
import { loadAskedModels, loadRunners } from './load-runners.js';
import { warmPipeline } from './warm-pipeline.js';

/** What a worker loads: the profile's files (src/models/prepare.ts) and how to run them. */
export interface WorkerSetup extends StoredProfile {
  intraOpThreads: number;
  executionProvider: ExecutionProvider;
}

export interface AnalysisTask {
  /** The photo's encoded bytes (JPEG, PNG...). */
  bytes: Uint8Array;
  decode: DecodeOptions;
  options: ResolvedAnalyzeOptions;
}

/** What a worker tells of one photo: its faces in working pixels and how to map them to the original. */
export interface PhotoAnalysis {
  decoded: Pick<DecodedImage, 'original' | 'scale'>;
  decodeMs: number;
  analysis: FaceAnalysis;
}

/** Sent once to each worker at start so model loading errors surface before the first photo. */
export interface WarmupTask {
  warmup: true;
}

/** Runs the pipeline once on a made-up photo decoded with these options (warm-pipeline.ts); sent after the warm-up. */
export interface WarmPipelineTask {
  warmPipeline: DecodeOptions;
}

/** Errors cross the thread boundary as plain data: structured clone drops an Error's code. */
export type AnalysisOutcome = { ok: true; photo: PhotoAnalysis } | { ok: false; error: { code: ErrorCode; message: string } };

/** `rect` of the detection image, decoded from the photo at the working resolution. */
async function sharperRegion(bytes: Buffer, decoded: DecodedImage, rect: Box, options: DecodeOptions): Promise<SharperRegion> {
  const { scale, original } = decoded;
  const x = Math.max(0, Math.floor(rect.x * scale.x));
  const y = Math.max(0, Math.floor(rect.y * scale.y));
  const width = Math.min(original.width, Math.ceil((rect.x + rect.width) * scale.x)) - x;
  const height = Math.min(original.height, Math.ceil((rect.y + rect.height) * scale.y)) - y;
  const region = await decodeRegion(bytes, decoded, { x, y, width, height }, options);
  return { image: region.image, origin: { x: x / scale.x, y: y / scale.y }, scale: region.scale / scale.x };
}

async function initialize(): Promise<(task: AnalysisTask | WarmupTask | WarmPipelineTask) => Promise<AnalysisOutcome | null>> {
  let runners: LoadedRunners;
  try {
    runners = await loadRunners(workerData as WorkerSetup, workerData as WorkerSetup);
  } catch (error) {
    // Answer every task (the warm-up first) with the reason instead of dying: a worker that dies
    // while loading races piscina's dispatch of the first task, which may then never settle.
    const failure: AnalysisOutcome = { ok: false, error: { code: 'MODEL_UNAVAILABLE', message: (error as Error).message } };
    return async () => failure;
  }
  const exitWidth = Number(process.env.FACEREAD_TEST_WORKER_EXIT_WIDTH) || 0;
  const detectorSide = runners.detector.inputSide;
  // Photos are decoded side by side but analysed one at a time (runners reuse their buffers).
  const inTurn = oneAtATime();
  let pipelineWarmed = false;
  let photosTaken = 0;
  return async (task) => {
    // Nothing runs in this thread between tasks (piscina waits on Atomics there), so sharp loads with
    // the first photo, or with the pipeline's warm-up where the analyzer asks for one.
    if ('warmup' in task) return null;
    if ('warmPipeline' in task) {
      if (!pipelineWarmed) {
        pipelineWarmed = true;
        await warmPipeline(runners, { ...task.warmPipeline, detectorSide }, inTurn, () => photosTaken > 0);
      }
      return null;
    }
    photosTaken++;
    try {
      const started = performance.now();
      const bytes = Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength);
      const decoded = await decodeImage(bytes, { ...task.decode, detectorSide });
      // Test-only (fault tests set it): a photo exactly this wide makes the worker die as a crash
      // would. Killing a worker from outside is no substitute: inside onnxruntime it aborts the process.
      if (exitWidth > 0 && decoded.original.width === exitWidth) process.exit(70);
      const decodeMs = performance.now() - started;
      const photo: PhotoPixels = { image: decoded.image };
      if (decoded.reduced) photo.sharper = (rect) => sharperRegion(bytes, decoded, rect, task.decode);
      const analysis = await inTurn(async () => {
        await loadAskedModels(runners, task.options.attributes);
        return analyzeFaces(photo, task.options, runners);
      });
      return { ok: true, photo: { decoded: { original: decoded.original, scale: decoded.scale }, decodeMs, analysis } };
    } catch (error) {
      if (isFaceReadError(error)) return { ok: false, error: error.toJSON() };
      throw error;
    }
  };
}

export default initialize();
