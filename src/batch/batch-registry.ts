/**
 * The list of batches in a Redis: one hash field per batch holding when it
 * was created and the root folder its keys are relative to. Workers read it
 * to find the queues to take photos from; `batch list` shows it.
 */
import type { Redis } from 'ioredis';
import { REGISTRY_KEY } from './batch-names.js';

export interface BatchInfo {
  name: string;
  /** ms since the epoch of the first submission. */
  createdAt: number;
  /** The folder keys are relative to, as seen by the submitting machine; workers may override it. */
  root?: string;
}

/**
 * Records a batch; a second submission keeps the first creation time and root.
 *
 * @example await registerBatch(redis, { name: 'archive', createdAt: Date.now(), root: '/mnt/photos' });
 */
export async function registerBatch(redis: Redis, info: BatchInfo): Promise<BatchInfo> {
  await redis.hsetnx(REGISTRY_KEY, info.name, JSON.stringify(info));
  return (await getBatch(redis, info.name)) ?? info;
}

export async function getBatch(redis: Redis, name: string): Promise<BatchInfo | undefined> {
  const text = await redis.hget(REGISTRY_KEY, name);
  return text === null ? undefined : parseInfo(name, text);
}

/** Every registered batch, oldest first. */
export async function listBatches(redis: Redis): Promise<BatchInfo[]> {
  const all = await redis.hgetall(REGISTRY_KEY);
  return Object.entries(all).map(([name, text]) => parseInfo(name, text)).sort((a, b) => a.createdAt - b.createdAt);
}

export async function unregisterBatch(redis: Redis, name: string): Promise<boolean> {
  return (await redis.hdel(REGISTRY_KEY, name)) > 0;
}

function parseInfo(name: string, text: string): BatchInfo {
  const raw = JSON.parse(text) as Partial<BatchInfo>;
  return { name, createdAt: Number(raw.createdAt) || 0, ...(typeof raw.root === 'string' ? { root: raw.root } : {}) };
}
