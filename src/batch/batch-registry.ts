/**
 * The list of batches in a Redis: one hash field per batch holding when it
 * was created, the root folder its keys are relative to and the attributes
 * its submissions asked for. Workers read it
 * to find the queues to take photos from; `batch list` shows it.
 */
import type { Redis } from 'ioredis';
import { ATTRIBUTE_DEFINITIONS, isAttributeName } from '../attributes/registry.js';
import type { Attribute } from '../types.js';
import { REGISTRY_KEY } from './batch-names.js';

export interface BatchInfo {
  name: string;
  /** ms since the epoch of the first submission. */
  createdAt: number;
  /** The folder keys are relative to, as seen by the submitting machine; workers may override it. */
  root?: string;
  /** Attributes asked for beyond the defaults, by any submission (the export's CSV columns); absent: the defaults. */
  attributes?: Attribute[];
}

/**
 * Records a batch; a second submission keeps the first creation time and root, and adds the
 * attributes it asks for to the batch's.
 *
 * @example await registerBatch(redis, { name: 'archive', createdAt: Date.now(), root: '/mnt/photos' });
 */
export async function registerBatch(redis: Redis, info: BatchInfo): Promise<BatchInfo> {
  await redis.hsetnx(REGISTRY_KEY, info.name, JSON.stringify(info));
  const stored = (await getBatch(redis, info.name)) ?? info;
  const asked = info.attributes ?? [];
  if (asked.every((a) => stored.attributes?.includes(a))) return stored;
  // In the registry's order, each once; two submissions at once may each write, and the last one's union stands.
  const attributes = ATTRIBUTE_DEFINITIONS.map((d) => d.name).filter((a) => asked.includes(a) || stored.attributes?.includes(a));
  const merged = { ...stored, attributes };
  await redis.hset(REGISTRY_KEY, info.name, JSON.stringify({ createdAt: merged.createdAt, ...(merged.root !== undefined ? { root: merged.root } : {}), attributes }));
  return merged;
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
  const attributes = Array.isArray(raw.attributes) ? raw.attributes.filter(isAttributeName) : [];
  return { name, createdAt: Number(raw.createdAt) || 0, ...(typeof raw.root === 'string' ? { root: raw.root } : {}), ...(attributes.length ? { attributes } : {}) };
}
