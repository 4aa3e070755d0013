/**
 * JSON schemas of the classic app's shapes (src/server/classic-format.ts) for
 * the OpenAPI document, and how `POST /api/analyze`'s documented responses
 * show them beside FaceRead's own. Classic answers are sent as text, so these
 * schemas document and never serialize.
 */
import { AGE_BUCKETS } from '../../types.js';

export const classicAnswerSchema = {
  $id: 'ClassicAnalysisResult',
  type: 'object',
  description: "The classic Flask app's answer (`format=classic` or FACEREAD_API_COMPAT=classic).",
  required: ['results', 'processing_time'],
  properties: {
    results: {
      type: 'array',
      items: {
        type: 'object',
        required: ['bbox'],
        properties: {
          bbox: { type: 'array', items: { type: 'integer' }, minItems: 4, maxItems: 4, description: '[x, y, width, height] in whole pixels of the photo.' },
          gender: { type: 'string', enum: ['Male', 'Female'] },
          age: { type: 'string', enum: [...AGE_BUCKETS], description: 'The most probable bucket of a bucket model, else the bucket of the estimated years.' },
        },
      },
    },
    processing_time: { type: 'string', pattern: '^\\d+\\.\\d{2}s$', description: 'Seconds, two decimals: "0.12s".' },
  },
} as const;

export const classicErrorSchema = {
  $id: 'ClassicErrorResponse',
  type: 'object',
  description:
    'A classic error: `没有上传图片` (no file) or `没有选择文件` (empty file name) with 400, else the message in the request\'s language (Accept-Language zh: Chinese). FaceRead\'s code is in the `X-FaceRead-Error-Code` header.',
  required: ['error'],
  properties: { error: { type: 'string' } },
} as const;

/** As JSON schema: @fastify/swagger turns it into the OpenAPI header object. */
const errorHeader = { 'X-FaceRead-Error-Code': { type: 'string', description: "FaceRead's error code (classic answers only)." } };

/** The documented responses of `POST /api/analyze` with the classic shapes as a second JSON schema of each. */
export function classicDocumentation(responses: Record<string, unknown>): Record<string, unknown> {
  const documented: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(responses)) {
    if (status === '200') {
      const ok = response as { description: string; content: Record<string, unknown> };
      const json = { schema: { oneOf: [{ $ref: 'AnalysisResult#' }, { $ref: 'ClassicAnalysisResult#' }] } };
      documented[status] = { ...ok, description: `${ok.description} With \`format=classic\`: the classic app's answer.`, content: { ...ok.content, 'application/json': json } };
    } else {
      documented[status] = {
        description: 'An error: FaceRead\'s `{ error: { code, message } }`, or with `format=classic` the classic `{ error: "<text>" }` (statuses: 400 for malformed requests, 500 for a failed analysis; 401, 413, 429 and 503 kept).',
        headers: errorHeader,
        content: { 'application/json': { schema: { oneOf: [{ $ref: 'ErrorResponse#' }, { $ref: 'ClassicErrorResponse#' }] } } },
      };
    }
  }
  return documented;
}
