/**
 * The classic "AI face reading" Flask app's answer shapes, projected from
 * FaceRead's own result so that its pages and scripts keep working unchanged
 * (`?format=classic` or `FACEREAD_API_COMPAT=classic`). The pipeline is the
 * same; only the last step, what is sent, differs:
 *
 *   {"processing_time":"0.12s","results":[{"age":"25-32","bbox":[x,y,w,h],"gender":"Male"}]}
 *   {"error":"\u6ca1\u6709\u4e0a\u4f20\u56fe\u7247"}          (没有上传图片, 400; FaceRead's code in X-FaceRead-Error-Code)
 *
 * Both are written byte for byte as Flask's `jsonify` writes them (sorted keys, compact, non-ASCII escaped,
 * a final newline), so that even a client comparing texts sees no difference.
 *
 * @example
 *   classicJson(classicAnswer(result)) // '{"processing_time":"0.01s","results":[{"age":"25-32","bbox":[10,10,30,40],"gender":"Female"}]}\n'
 */
import type { FastifyRequest } from 'fastify';
import type { ErrorCode, FaceReadError } from '../errors.js';
import { AGE_BUCKETS, type AgeBucket, type AnalysisResult, type Box, type FaceResult } from '../types.js';
import type { PageLanguage, PageMessages } from './page-messages.js';
import type { ErrorPresenter } from './plugins/error-handler.js';
import type { MissingReason } from './upload.js';

/** How `POST /api/analyze` answers: FaceRead's result (default) or the classic app's shapes. */
export const API_COMPAT_MODES = ['faceread', 'classic'] as const;
export type ApiCompat = (typeof API_COMPAT_MODES)[number];

/** Keys in the order Flask's jsonify sends them (sorted). */
export interface ClassicFace {
  age?: AgeBucket;
  /** Whole pixels of the photo as sent (after EXIF orientation): left, top, width, height. */
  bbox: [x: number, y: number, width: number, height: number];
  gender?: 'Male' | 'Female';
}

export interface ClassicAnswer {
  /** Seconds with two decimals and an `s`, as the classic app writes them: "0.12s". */
  processing_time: string;
  results: ClassicFace[];
}

/** The header that keeps FaceRead's own error code beside a classic error body. */
export const ERROR_CODE_HEADER = 'x-faceread-error-code';

/** The classic app's own texts for its two upload checks (it answers them in Chinese whatever the client). */
export const CLASSIC_UPLOAD_TEXTS = {
  /** No file field in the form. */
  noFile: '没有上传图片',
  /** A file field with an empty file name: a form sent with nothing chosen. */
  noFileName: '没有选择文件',
} as const;

/**
 * The status of each code in classic mode. The classic app knows 400 (its two upload checks) and 500
 * (anything that fails in its analysis). Malformed requests stay 400; what the classic app would have
 * failed while reading or analysing the photo (unsupported or undecodable image, too many pixels,
 * model or worker failures, timeouts) is 500; the statuses HTTP clients and proxies act on stay:
 * 401 (API key), 413 (Flask answers it too past MAX_CONTENT_LENGTH), 429 and 503 (with Retry-After).
 */
export const CLASSIC_STATUS: Readonly<Record<ErrorCode, number>> = {
  IMAGE_MISSING: 400,
  INVALID_OPTION: 400,
  BAD_REQUEST: 400,
  MULTIPART_MALFORMED: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  IMAGE_TOO_LARGE: 413,
  TOO_MANY_FILES: 413,
  UNSUPPORTED_MEDIA_TYPE: 500,
  IMAGE_UNDECODABLE: 500,
  IMAGE_TOO_MANY_PIXELS: 500,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  WORKER_CRASHED: 500,
  MODEL_UNAVAILABLE: 500,
  SERVER_BUSY: 503,
  NOT_READY: 503,
  QUEUE_UNAVAILABLE: 500,
  TIMEOUT: 500,
};

/**
 * Whether a request gets the classic shapes: its `format` query when it gives one, else the server's setting.
 * @example wantsClassic(undefined, 'classic') // true
 * @example wantsClassic('faceread', 'classic') // false
 */
export function wantsClassic(format: unknown, serverDefault: ApiCompat): boolean {
  return (format === 'classic' || format === 'faceread' ? format : serverDefault) === 'classic';
}

/**
 * The classic box: corners truncated to whole pixels as the classic app's `int()` does, then width and
 * height between them, so that x + w is the truncated right edge.
 * @example classicBbox({ x: 10.7, y: 5.2, width: 20.6, height: 30.9 }) // [10, 5, 21, 31]
 */
export function classicBbox(box: Box): ClassicFace['bbox'] {
  const x1 = Math.trunc(box.x);
  const y1 = Math.trunc(box.y);
  return [x1, y1, Math.trunc(box.x + box.width) - x1, Math.trunc(box.y + box.height) - y1];
}

/**
 * The bucket the classic app shows: the most probable of the eight where the model gives bucket
 * probabilities (as its argmax), else the bucket of the years.
 */
export function classicAge(age: NonNullable<FaceResult['age']>): AgeBucket {
  const probabilities = age.bucketProbabilities;
  if (!probabilities || probabilities.length !== AGE_BUCKETS.length) return age.bucket;
  let best = 0;
  probabilities.forEach((p, i) => {
    if (p > probabilities[best]!) best = i;
  });
  return AGE_BUCKETS[best]!;
}

/** A face in the classic shape; a face without gender or age (not asked, or no such model) has no such key. */
export function classicFace(face: FaceResult): ClassicFace {
  return {
    ...(face.age ? { age: classicAge(face.age) } : {}),
    bbox: classicBbox(face.box),
    ...(face.gender ? { gender: face.gender.label === 'male' ? ('Male' as const) : ('Female' as const) } : {}),
  };
}

/** The whole classic answer for one photo. */
export function classicAnswer(result: AnalysisResult): ClassicAnswer {
  return { processing_time: `${(result.timingsMs.total / 1000).toFixed(2)}s`, results: result.faces.map(classicFace) };
}

/**
 * JSON as Flask's `jsonify` writes it: compact, non-ASCII as \uXXXX escapes (Python's ensure_ascii), a final
 * newline. Key order is the objects' own (the classic shapes are built sorted, as jsonify sorts).
 * @example classicJson({ error: '没有上传图片' }) // '{"error":"\\u6ca1\\u6709\\u4e0a\\u4f20\\u56fe\\u7247"}\n'
 */
export function classicJson(value: ClassicAnswer | ClassicError['body']): string {
  return `${JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

export interface ClassicError {
  statusCode: number;
  body: { error: string };
  headers: Record<string, string>;
}

/**
 * A FaceRead error in the classic shape: the classic app's Chinese texts for its two upload checks,
 * else FaceRead's message in the request's language (`zhTexts`: the page's Chinese text of each code).
 */
export function classicError(error: FaceReadError & { reason?: MissingReason }, language: PageLanguage, zhTexts: Readonly<Record<string, string>>): ClassicError {
  let text: string;
  if (error.code === 'IMAGE_MISSING') text = error.reason === 'no-file-name' ? CLASSIC_UPLOAD_TEXTS.noFileName : CLASSIC_UPLOAD_TEXTS.noFile;
  else text = (language === 'zh-CN' ? zhTexts[error.code] : undefined) ?? error.message;
  return { statusCode: CLASSIC_STATUS[error.code], body: { error: text }, headers: { [ERROR_CODE_HEADER]: error.code } };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route can answer in the classic shapes (`POST /api/analyze`), errors included. */
    classicAnswers?: boolean;
  }
}

/**
 * The error handler's presenter for classic requests: a route that can answer classically and a request
 * that asks for it (or a server that does by default). Works before the query is validated too.
 */
export function classicErrorPresenter(serverDefault: ApiCompat, messages: PageMessages): ErrorPresenter {
  return (error: FaceReadError, request: FastifyRequest) => {
    if (!request.routeOptions.config?.classicAnswers) return null;
    if (!wantsClassic((request.query as { format?: unknown } | undefined)?.format, serverDefault)) return null;
    const classic = classicError(error, messages.languageOf(request.headers['accept-language']), messages.errors['zh-CN']);
    return { ...classic, body: classicJson(classic.body) };
  };
}
