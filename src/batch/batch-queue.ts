/**
 * Opens one batch's BullMQ queue together with a plain Redis client (for the
 * registry and for reads BullMQ has no call for), after checking that Redis
 * answers at all.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { FaceReadError } from '../errors.js';
import type { AnalysisResult, Attribute } from '../types.js';
import { QUEUE_PREFIX, validateBatchName } from './batch-names.js';
import { getBatch, type BatchInfo } from './batch-registry.js';
import { bullConnection, connectRedis } from './redis-connection.js';
import { redactRedisUrl } from './redis-url.js';

/** What a photo's job carries: its key (the worker reads the bytes) and the attributes asked for at submit, if any. */
export interface PhotoJobData {
  key: string;
  attributes?: Attribute[];
}

export type BatchQueue = Queue<PhotoJobData, AnalysisResult>;

export interface BatchHandle {
  name: string;
  /** Registered info, or undefined for a batch not submitted yet. */
  info: BatchInfo | undefined;
  queue: BatchQueue;
  redis: Redis;
  close(): Promise<void>;
}

export function createBatchQueue(redisUrl: string, name: string): BatchQueue {
  return new Queue<PhotoJobData, AnalysisResult>(validateBatchName(name), { connection: bullConnection(redisUrl), prefix: QUEUE_PREFIX });
}

/**
 * Opens a batch; with `mustExist`, a batch never submitted is NOT_FOUND.
 *
 * @example const batch = await openBatch('redis://127.0.0.1:6379', 'archive', { mustExist: true }); await batch.close();
 */
export async function openBatch(redisUrl: string, name: string, options: { mustExist: boolean }): Promise<BatchHandle> {
  validateBatchName(name);
  const redis = await connectRedis(redisUrl);
  const info = await getBatch(redis, name);
  if (!info && options.mustExist) {
    redis.disconnect();
    throw new FaceReadError('NOT_FOUND', `No batch named ${name} in ${redactRedisUrl(redisUrl)} (see faceread batch list)`);
  }
  const queue = createBatchQueue(redisUrl, name);
  queue.on('error', () => { /* reported by the command that fails; BullMQ reconnects */ });
  return {
    name,
    info,
    queue,
    redis,
    async close() {
      await queue.close();
      redis.disconnect();
    },
  };
}

/** Every job the queue holds, whatever its state. */
export async function countAllJobs(queue: BatchQueue): Promise<number> {
  const counts = await queue.getJobCounts();
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}
