/**
 * A batch worker: takes photos from batch queues, analyses them with the
 * core library and lets BullMQ store each result (the library's JSON) as
 * its job's return value, atomically with marking the job done. Many
 * workers on many machines may run against one Redis; each holds one
 * Analyzer (a pool of inference threads) shared by every batch it serves.
 */
import os from 'node:os';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { createAnalyzer, type AnalyzerOptions } from '../analyzer.js';
import type { AnalysisResult, AnalyzeOptions, Analyzer } from '../types.js';
import { QUEUE_PREFIX, submittingKey, validateBatchName } from './batch-names.js';
import { createBatchQueue, type BatchQueue, type PhotoJobData } from './batch-queue.js';
import { getBatch, listBatches } from './batch-registry.js';
import { toJobError } from './job-failure.js';
import { createFileSource, type PhotoSource } from './photo-source.js';
import { bullConnection, connectRedis } from './redis-connection.js';
import type { WorkerTimings } from './worker-settings.js';

export interface BatchWorkerOptions {
  redisUrl: string;
  /** Batches to serve; default every registered batch, new ones picked up every `pollMs`. */
  batches?: readonly string[];
  /** Photos in flight per batch. */
  concurrency: number;
  /** Where keys are resolved; default the root recorded when the batch was submitted. */
  root?: string;
  timings: WorkerTimings;
  /** An analyzer to use (kept open on close), or options to create one. */
  analyzer?: Analyzer | AnalyzerOptions;
  photo?: AnalyzeOptions;
  /** Stop once no served batch has photos waiting, in flight or due for a retry. */
  exitWhenIdle?: boolean;
  /** How often to look for new batches and idleness; default 2000 ms. */
  pollMs?: number;
  /** Shown as the job's `processedBy`; default host:pid. */
  name?: string;
  log?: (message: string) => void;
}

export interface WorkerCounts {
  done: number;
  failed: number;
  /** Failed attempts that will be tried again. */
  retried: number;
}

export interface BatchWorker {
  readonly name: string;
  counts(): WorkerCounts;
  /** Resolves once stopped (by close() or, with exitWhenIdle, when idle). */
  readonly stopped: Promise<WorkerCounts>;
  /** Finishes the photos in flight, then disconnects. */
  close(): Promise<WorkerCounts>;
}

interface Served {
  worker: Worker<PhotoJobData, AnalysisResult>;
  queue: BatchQueue;
}

function isAnalyzer(value: BatchWorkerOptions['analyzer']): value is Analyzer {
  return typeof (value as Analyzer | undefined)?.analyze === 'function';
}

function processPhoto(analyzer: Analyzer, source: PhotoSource, photo: AnalyzeOptions | undefined) {
  return async (job: Job<PhotoJobData, AnalysisResult>): Promise<AnalysisResult> => {
    try {
      // The attributes asked for at submit, else the worker's own options.
      const options = job.data.attributes ? { ...photo, attributes: job.data.attributes } : photo;
      return await analyzer.analyze(await source.read(job.data.key), options);
    } catch (error) {
      throw toJobError(error);
    }
  };
}

/** A file source whose root is the batch's registered root, looked up until the batch is registered. */
function lateRootSource(redis: Redis, batch: string): PhotoSource {
  let source: PhotoSource | undefined;
  return {
    async read(key) {
      if (!source) {
        const info = await getBatch(redis, batch);
        if (!info) return createFileSource().read(key);
        source = createFileSource(info.root);
      }
      return source.read(key);
    },
  };
}

interface WorkerContext {
  options: BatchWorkerOptions;
  redis: Redis;
  analyzer: Analyzer;
  name: string;
  counts: WorkerCounts;
  log: (message: string) => void;
}

/** Opens a BullMQ worker on one batch's queue, counting and logging what it does. */
async function serveBatch(context: WorkerContext, batch: string): Promise<Served> {
  const { options, redis, counts, log } = context;
  const root = options.root ?? (await getBatch(redis, batch))?.root;
  // A worker may start before its batch is submitted: the root is then read with the first photo.
  const source = options.root !== undefined || root !== undefined ? createFileSource(root) : lateRootSource(redis, batch);
  const worker = new Worker<PhotoJobData, AnalysisResult>(batch, processPhoto(context.analyzer, source, options.photo), {
    connection: bullConnection(options.redisUrl),
    prefix: QUEUE_PREFIX,
    name: context.name,
    concurrency: options.concurrency,
    lockDuration: options.timings.lockDurationMs,
    stalledInterval: options.timings.stalledIntervalMs,
    maxStalledCount: options.timings.maxStalledCount,
  });
  worker.on('error', (error) => log(`batch ${batch}: queue error: ${error.message}`));
  worker.on('completed', () => { counts.done++; });
  worker.on('stalled', (jobId) => log(`batch ${batch}: job ${jobId} was left by a stopped worker; it is queued again`));
  worker.on('failed', (job, error) => {
    const final = !job || error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (final) counts.failed++;
    else counts.retried++;
    log(`batch ${batch}: ${job?.data.key ?? '?'} ${final ? 'failed' : `failed (attempt ${job?.attemptsMade}, will retry)`}: ${error.message.replace(/\s*\n\s*/g, ' | ')}`);
  });
  log(`worker ${context.name}: serving batch ${batch}${root ? ` (root ${root})` : ''}`);
  return { worker, queue: createBatchQueue(options.redisUrl, batch) };
}

/** Nothing waiting, in flight or due for a retry, no submission adding photos, and (if asked) the batch exists. */
async function isBatchIdle(redis: Redis, batch: string, queue: BatchQueue, mustExist: boolean): Promise<boolean> {
  if ((await redis.exists(submittingKey(batch))) || (mustExist && !(await getBatch(redis, batch)))) return false;
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
  return Object.values(counts).every((n) => n === 0);
}

/**
 * Starts a worker; it runs until close() (or idle, with exitWhenIdle).
 *
 * @example
 *   const worker = await startBatchWorker({ redisUrl, concurrency: 4, timings: resolveWorkerTimings(process.env) });
 *   process.once('SIGTERM', () => void worker.close());
 */
export async function startBatchWorker(options: BatchWorkerOptions): Promise<BatchWorker> {
  const fixed = options.batches?.map(validateBatchName);
  const log = options.log ?? (() => {});
  const name = options.name ?? `${os.hostname()}:${process.pid}`;
  const redis = await connectRedis(options.redisUrl);
  const ownAnalyzer = !isAnalyzer(options.analyzer);
  let analyzer: Analyzer;
  try {
    analyzer = isAnalyzer(options.analyzer) ? options.analyzer : await createAnalyzer(options.analyzer);
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  const counts: WorkerCounts = { done: 0, failed: 0, retried: 0 };
  const served = new Map<string, Served>();

  const serve = async (batch: string): Promise<void> => {
    served.set(batch, await serveBatch({ options, redis, analyzer, name, counts, log }, batch));
  };

  let resolveStopped!: (counts: WorkerCounts) => void;
  const stopped = new Promise<WorkerCounts>((resolve) => { resolveStopped = resolve; });
  let closing: Promise<WorkerCounts> | undefined;
  const close = (): Promise<WorkerCounts> => {
    closing ??= (async () => {
      clearInterval(timer);
      await Promise.all([...served.values()].map(async ({ worker, queue }) => { await worker.close(); await queue.close(); }));
      if (ownAnalyzer) await analyzer.close();
      redis.disconnect();
      resolveStopped({ ...counts });
      return { ...counts };
    })();
    return closing;
  };

  const refresh = async (): Promise<void> => {
    const names = fixed ?? (await listBatches(redis)).map((b) => b.name);
    for (const batch of names) if (!served.has(batch)) await serve(batch);
    // A batch removed (`faceread batch remove`) is no longer served.
    for (const [batch, { worker, queue }] of served) {
      if (names.includes(batch)) continue;
      served.delete(batch);
      await worker.close();
      await queue.close();
      log(`worker ${name}: batch ${batch} was removed; no longer serving it`);
    }
  };
  const isIdle = async (): Promise<boolean> => {
    for (const [batch, { queue }] of served) if (!(await isBatchIdle(redis, batch, queue, Boolean(fixed)))) return false;
    return true;
  };
  let busy = false;
  const tick = async (): Promise<void> => {
    if (busy || closing) return;
    busy = true;
    try {
      await refresh();
      if (options.exitWhenIdle && (await isIdle())) void close();
    } catch (error) {
      log(`worker ${name}: ${(error as Error).message}`); // Redis away for a moment: try again next tick
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), options.pollMs ?? 2000);
  try {
    await refresh();
  } catch (error) {
    await close();
    throw error;
  }
  return { name, counts: () => ({ ...counts }), stopped, close };
}
