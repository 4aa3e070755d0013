/**
 * How a batch maps onto Redis: each batch is its own BullMQ queue (so its
 * counts, its failed list and its stalled checks are BullMQ's own), under a
 * fixed key prefix, and each photo's job id is derived from its key so that
 * submitting the same photo twice finds the job already there.
 */
import { createHash } from 'node:crypto';
import { invalidOption } from '../errors.js';

/** Every batch queue's Redis keys start with `faceread:<batch>:`. */
export const QUEUE_PREFIX = 'faceread';

/** A Redis hash: batch name -> JSON `BatchInfo` (see batch-registry.ts). */
export const REGISTRY_KEY = 'faceread-batches';

/**
 * Present (with a time to live) while a submission is adding jobs, so that
 * workers told to exit when idle do not leave between two chunks.
 */
export function submittingKey(batch: string): string {
  return `faceread-submitting:${batch}`;
}

/** Seconds a submission's mark lives without a refresh (a crashed submitter's mark goes away). */
export const SUBMITTING_TTL_SECONDS = 120;

// BullMQ refuses ':' in queue names; the rest keeps names safe in shells and file names.
const BATCH_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * Returns `name` if it can name a batch, else throws INVALID_OPTION.
 *
 * @example validateBatchName('archive-2024') // 'archive-2024'
 */
export function validateBatchName(name: unknown): string {
  if (typeof name !== 'string' || !BATCH_NAME.test(name)) {
    throw invalidOption('batch name', 'letters, digits, ".", "_" or "-" (1 to 100, starting with a letter or digit)', name);
  }
  return name;
}

/**
 * The BullMQ job id of a photo: stable for a key, never all digits (BullMQ
 * refuses integer-like custom ids), and free of ':'.
 *
 * @example photoJobId('2024/june/a.jpg') // 'p-' + 40 hex digits
 */
export function photoJobId(key: string): string {
  return `p-${createHash('sha1').update(key).digest('hex')}`;
}
