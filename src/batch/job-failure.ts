/**
 * How a failed photo is told to BullMQ and read back. Errors about the input
 * itself (an undecodable image, too many pixels) can never succeed, so they
 * become BullMQ `UnrecoverableError`s and fail at once; everything else
 * (a crashed worker, an unreadable share, a missing file that another
 * machine may see) is retried with backoff. The failed reason keeps the
 * code as `CODE: message` so the export can give `{ code, message }`.
 */
import { UnrecoverableError } from 'bullmq';
import { ERROR_CODES, isFaceReadError, type ErrorCode } from '../errors.js';

/** Codes that describe the photo or the options, not the machine: retrying cannot help. */
export const PERMANENT_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'IMAGE_UNDECODABLE',
  'IMAGE_TOO_MANY_PIXELS',
  'IMAGE_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'INVALID_OPTION',
]);

export interface JobFailure {
  code: string;
  message: string;
}

/**
 * The error a job processor throws for `error`.
 *
 * @example throw toJobError(new FaceReadError('IMAGE_UNDECODABLE', 'truncated')) // UnrecoverableError('IMAGE_UNDECODABLE: truncated')
 */
export function toJobError(error: unknown): Error {
  if (isFaceReadError(error)) {
    const reason = `${error.code}: ${error.message}`;
    return PERMANENT_ERROR_CODES.has(error.code) ? new UnrecoverableError(reason) : new Error(reason);
  }
  return new Error(`INTERNAL_ERROR: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * Reads a BullMQ failed reason back into `{ code, message }`. Reasons BullMQ
 * writes itself (a job stalled too often) get INTERNAL_ERROR.
 *
 * @example parseFailedReason('IMAGE_UNDECODABLE: truncated') // { code: 'IMAGE_UNDECODABLE', message: 'truncated' }
 */
export function parseFailedReason(reason: string | undefined): JobFailure {
  const match = /^([A-Z][A-Z_]+): ([\s\S]*)$/.exec(reason ?? '');
  if (match && match[1]! in ERROR_CODES) return { code: match[1]!, message: match[2]! };
  return { code: 'INTERNAL_ERROR', message: reason || 'The job failed without a reason.' };
}
