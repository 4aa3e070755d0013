/**
 * JSON schema of every error body: `{ "error": { "code", "message" } }`,
 * with the codes taken from the one registry (src/errors.ts).
 */
import { ERROR_CODES } from '../../errors.js';

export const errorResponseSchema = {
  $id: 'ErrorResponse',
  type: 'object',
  description: 'An error; `code` is one of the registered codes, `message` says what happened in English.',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: Object.keys(ERROR_CODES) },
        message: { type: 'string' },
      },
    },
  },
} as const;

/** `{ 400: ref, 401: ref, ... }` for the statuses a route can answer with an error. */
export function errorResponses(...statuses: number[]): Record<number, unknown> {
  return Object.fromEntries(statuses.map((status) => [status, { $ref: 'ErrorResponse#' }]));
}
