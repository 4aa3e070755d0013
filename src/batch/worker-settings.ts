/**
 * The queue timings of a batch worker: how long a taken photo stays locked
 * without a renewal and how often workers look for photos whose worker died.
 * A worker killed mid-photo leaves its lock to expire; within about
 * `lockDurationMs + 2 * stalledIntervalMs` another worker takes the photo
 * again. Defaults are BullMQ's (30 s); sources in order: defaults,
 * environment (FACEREAD_BATCH_LOCK_MS, FACEREAD_BATCH_STALLED_MS), flags.
 */
import { invalidOption } from '../errors.js';

export interface WorkerTimings {
  lockDurationMs: number;
  stalledIntervalMs: number;
  /** A photo whose worker died more than this many times is failed (it may be what kills them). */
  maxStalledCount: number;
}

export const WORKER_TIMING_DEFAULTS: Readonly<WorkerTimings> = Object.freeze({ lockDurationMs: 30_000, stalledIntervalMs: 30_000, maxStalledCount: 1 });

const ENV = { lockDurationMs: 'FACEREAD_BATCH_LOCK_MS', stalledIntervalMs: 'FACEREAD_BATCH_STALLED_MS' } as const;

function milliseconds(name: string, value: unknown): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 100 || n > 3_600_000) throw invalidOption(name, 'an integer number of milliseconds between 100 and 3600000', value);
  return n;
}

/**
 * @example resolveWorkerTimings({ FACEREAD_BATCH_LOCK_MS: '2000' }, { stalledIntervalMs: 1000 }) // { lockDurationMs: 2000, stalledIntervalMs: 1000, maxStalledCount: 1 }
 */
export function resolveWorkerTimings(env: NodeJS.ProcessEnv, flags: Partial<WorkerTimings> = {}): WorkerTimings {
  const timings: WorkerTimings = { ...WORKER_TIMING_DEFAULTS };
  for (const key of ['lockDurationMs', 'stalledIntervalMs'] as const) {
    const raw = env[ENV[key]];
    if (raw !== undefined && raw !== '') timings[key] = milliseconds(ENV[key], raw);
    if (flags[key] !== undefined) timings[key] = milliseconds(key, flags[key]);
  }
  if (flags.maxStalledCount !== undefined) {
    if (!Number.isInteger(flags.maxStalledCount) || flags.maxStalledCount < 0) throw invalidOption('maxStalledCount', 'a non-negative integer', flags.maxStalledCount);
    timings.maxStalledCount = flags.maxStalledCount;
  }
  return Object.freeze(timings);
}
