/**
 * One registry of FaceRead's service errors. Every failure a user can cause
 * or meet has a SCREAMING_CASE code, an HTTP status and a message; the CLI
 * prints the code, the API returns `{ error: { code, message } }`.
 */

export const ERROR_CODES = {
  IMAGE_MISSING: { statusCode: 400, description: 'No image was sent (multipart field `image` or an image/* body).' },
  INVALID_OPTION: { statusCode: 400, description: 'An option has a wrong type or value.' },
  BAD_REQUEST: { statusCode: 400, description: 'The request itself is malformed (headers, content length or body framing).' },
  MULTIPART_MALFORMED: { statusCode: 400, description: 'The multipart/form-data body is malformed (missing boundary, truncated part or bad part header).' },
  UNAUTHORIZED: { statusCode: 401, description: 'An API key is required: send `Authorization: Bearer <key>`.' },
  NOT_FOUND: { statusCode: 404, description: 'No such route or file.' },
  IMAGE_TOO_LARGE: { statusCode: 413, description: 'The upload is larger than the configured byte limit.' },
  TOO_MANY_FILES: { statusCode: 413, description: 'A batch holds more files (or form parts) than the configured limit.' },
  UNSUPPORTED_MEDIA_TYPE: { statusCode: 415, description: 'The upload is not an image type FaceRead reads (JPEG, PNG, WebP, AVIF, GIF, TIFF).' },
  IMAGE_UNDECODABLE: { statusCode: 422, description: 'The image is empty, truncated or corrupt and cannot be decoded.' },
  IMAGE_TOO_MANY_PIXELS: { statusCode: 422, description: 'The image has more pixels than the configured limit (decompression bomb guard).' },
  RATE_LIMITED: { statusCode: 429, description: 'Too many requests from this client; retry later.' },
  INTERNAL_ERROR: { statusCode: 500, description: 'An unexpected error; the server logs hold the details.' },
  WORKER_CRASHED: { statusCode: 500, description: 'The inference worker handling this photo stopped; it has been replaced, retry.' },
  MODEL_UNAVAILABLE: { statusCode: 503, description: 'A model could not be loaded or converted.' },
  SERVER_BUSY: { statusCode: 503, description: 'The analysis queue is full; retry after the Retry-After delay.' },
  NOT_READY: { statusCode: 503, description: 'The models are still loading.' },
  QUEUE_UNAVAILABLE: { statusCode: 503, description: 'The job queue (Redis) cannot be reached or refused a command.' },
  TIMEOUT: { statusCode: 504, description: 'The analysis took longer than the configured timeout.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error with a registered code; safe to show to users (no stack, no internals). */
export class FaceReadError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FaceReadError';
    this.code = code;
    this.statusCode = ERROR_CODES[code].statusCode;
  }

  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export function isFaceReadError(error: unknown): error is FaceReadError {
  return error instanceof FaceReadError;
}

/**
 * Words an invalid argument the same way everywhere, e.g.
 * "Expected a number between 0 and 1 for minScore but received 'high' of type string".
 */
export function invalidOption(name: string, expected: string, received: unknown): FaceReadError {
  const shown = typeof received === 'string' ? `'${received}'` : String(received);
  return new FaceReadError('INVALID_OPTION', `Expected ${expected} for ${name} but received ${shown} of type ${typeof received}`);
}
