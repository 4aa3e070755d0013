/**
 * Enqueues one job per photo key into a batch. Job ids come from the keys,
 * so submitting the same photos again adds nothing, and adding more photos
 * to an existing batch adds only the new ones.
 */
import { invalidOption } from '../errors.js';
import { resolveAnalyzeOptions } from '../pipeline/analyze-options.js';
import type { Attribute } from '../types.js';
import { photoJobId, SUBMITTING_TTL_SECONDS, submittingKey } from './batch-names.js';
import { openBatch, countAllJobs } from './batch-queue.js';
import { registerBatch } from './batch-registry.js';

export interface SubmitBatchOptions {
  redisUrl: string;
  name: string;
  /** Photo keys (see photo-source.ts): relative to `root`, or absolute paths. */
  keys: readonly string[];
  root?: string;
  /** Tries per photo before it lands in the failed list; default 3. */
  attempts?: number;
  /** First retry delay in ms, doubled on each retry; default 2000. */
  backoffMs?: number;
  /** Attributes each photo is analysed for (default: age and gender); recorded with the batch for its export. */
  attributes?: readonly Attribute[];
  /** Called after each chunk with the number of keys sent so far. */
  onProgress?: (sent: number) => void;
}

export interface SubmitBatchResult {
  name: string;
  /** Keys given (after removing repeats). */
  submitted: number;
  /** Jobs that did not exist before. */
  added: number;
  /** Jobs the batch holds now. */
  total: number;
}

const CHUNK = 500;

/**
 * @example await submitBatch({ redisUrl: 'redis://127.0.0.1:6379', name: 'archive', keys: ['2024/a.jpg'], root: '/mnt/photos' })
 */
export async function submitBatch(options: SubmitBatchOptions): Promise<SubmitBatchResult> {
  const attempts = options.attempts ?? 3;
  const backoffMs = options.backoffMs ?? 2000;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 100) throw invalidOption('attempts', 'an integer between 1 and 100', attempts);
  if (!Number.isInteger(backoffMs) || backoffMs < 0) throw invalidOption('backoffMs', 'a non-negative integer', backoffMs);
  // Checked (INVALID_OPTION naming the allowed ones) before anything is enqueued.
  const attributes = options.attributes ? resolveAnalyzeOptions({ attributes: [...options.attributes] }).attributes : undefined;
  const keys = [...new Set(options.keys)];
  const batch = await openBatch(options.redisUrl, options.name, { mustExist: false });
  const mark = submittingKey(options.name);
  try {
    await batch.redis.set(mark, String(process.pid), 'EX', SUBMITTING_TTL_SECONDS);
    await registerBatch(batch.redis, { name: options.name, createdAt: Date.now(), ...(options.root !== undefined ? { root: options.root } : {}), ...(attributes ? { attributes } : {}) });
    // Counting before and after is how duplicates show: BullMQ returns an existing job without a sign.
    const before = await countAllJobs(batch.queue);
    const opts = { attempts, backoff: { type: 'exponential', delay: backoffMs }, removeOnComplete: false, removeOnFail: false };
    for (let start = 0; start < keys.length; start += CHUNK) {
      const chunk = keys.slice(start, start + CHUNK);
      await batch.redis.expire(mark, SUBMITTING_TTL_SECONDS);
      await batch.queue.addBulk(chunk.map((key) => ({ name: 'photo', data: { key, ...(attributes ? { attributes } : {}) }, opts: { ...opts, jobId: photoJobId(key) } })));
      options.onProgress?.(Math.min(keys.length, start + CHUNK));
    }
    const total = await countAllJobs(batch.queue);
    return { name: options.name, submitted: keys.length, added: total - before, total };
  } finally {
    await batch.redis.del(mark).catch(() => 0); // else it expires on its own
    await batch.close();
  }
}
