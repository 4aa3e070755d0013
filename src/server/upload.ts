/**
 * Reads uploaded photos from a request into memory: the first file of a
 * multipart/form-data body (field `image` by the original contract, any
 * file field accepted), every file of a batch, or a raw image/* body.
 * Nothing is written to disk; sizes are bounded while streaming.
 */
import type {} from '@fastify/multipart'; // request.file(), parts(), isMultipart()
import type { FastifyRequest } from 'fastify';
import { FaceReadError, isFaceReadError } from '../errors.js';

export interface UploadLimits {
  /** Largest file in bytes. */
  maxBytes: number;
  /** Most files in one request. */
  maxFiles: number;
}

/** One file of a batch: its bytes, or the error that stopped reading it. */
export interface UploadedFile {
  filename: string | null;
  bytes: Buffer | null;
  error: FaceReadError | null;
}

/** Why no photo was read: no file at all, a file part with an empty name (a form sent with nothing chosen), or a named empty file. */
export type MissingReason = 'no-file' | 'no-file-name' | 'empty-file';

/** IMAGE_MISSING with its reason, which the classic answers word as the classic app did (没有上传图片 / 没有选择文件). */
export class ImageMissingError extends FaceReadError {
  readonly reason: MissingReason;

  constructor(reason: MissingReason) {
    super('IMAGE_MISSING', 'No image was sent: post multipart/form-data with the file in field `image`, or the image itself with an image/* content type.');
    this.reason = reason;
  }
}

const missing = (reason: MissingReason) => new ImageMissingError(reason);

/** busboy reports broken bodies as plain Errors; registered and fastify errors pass through. */
/** Text fields a form may carry beside its files (accepted and ignored). */
const MAX_FIELDS = 32;

/** Words a refused batch with the limit it passed and the setting behind it. */
function limitError(code: string, limits: UploadLimits): FaceReadError | null {
  const files = `A batch takes at most ${limits.maxFiles} files (the server's setting FACEREAD_MAX_BATCH_FILES); send the rest in another request`;
  if (code === 'FST_FILES_LIMIT') return new FaceReadError('TOO_MANY_FILES', `Too many files: ${files}.`);
  if (code === 'FST_FIELDS_LIMIT') return new FaceReadError('TOO_MANY_FILES', `Too many text fields: at most ${MAX_FIELDS} beside the files.`);
  if (code === 'FST_PARTS_LIMIT') return new FaceReadError('TOO_MANY_FILES', `Too many form parts: ${files}, with at most ${MAX_FIELDS} text fields.`);
  return null;
}

function multipartError(error: unknown, limits?: UploadLimits): unknown {
  if (isFaceReadError(error)) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('FST_')) return (limits && limitError(code, limits)) ?? error;
  return new FaceReadError('MULTIPART_MALFORMED', `The multipart body cannot be read: ${(error as Error).message}`, { cause: error });
}

function partLimits(limits: UploadLimits) {
  // Fields are accepted (and ignored) so simple HTML forms work, but bounded.
  return { fileSize: limits.maxBytes, files: limits.maxFiles, fields: MAX_FIELDS, fieldSize: 64 * 1024, parts: limits.maxFiles + MAX_FIELDS, headerPairs: 200 };
}

/** Room for a form's text fields (32 of at most 64 KB) and part headers, on top of its files. */
const FORM_OVERHEAD_BYTES = 4 * 1024 * 1024;

/**
 * Refuses at once a multipart request whose declared length no acceptable upload could have.
 * Multipart bodies are streamed by the handler, so fastify's bodyLimit never sees them: a client
 * declaring 2 GB would otherwise keep its connection until the request timeout.
 */
function refuseImpossibleLength(request: FastifyRequest, limits: UploadLimits, files: number): void {
  const declared = Number(request.headers['content-length']);
  if (declared > limits.maxBytes * files + FORM_OVERHEAD_BYTES) {
    throw new FaceReadError('IMAGE_TOO_LARGE', `The request declares ${declared} bytes, more than ${files} file(s) of at most ${limits.maxBytes} bytes can take.`);
  }
}

/** The photo of a single-image request, multipart or raw. */
export async function readSingleImage(request: FastifyRequest, limits: UploadLimits): Promise<Buffer> {
  if (!request.isMultipart()) {
    const body = request.body;
    if (Buffer.isBuffer(body) && body.length > 0) return body;
    throw missing('no-file');
  }
  refuseImpossibleLength(request, limits, 1);
  let bytes: Buffer | undefined;
  let filename: string | undefined;
  try {
    const part = await request.file({ limits: partLimits({ ...limits, maxFiles: 1 }) });
    filename = part?.filename;
    bytes = await part?.toBuffer();
  } catch (error) {
    throw multipartError(error);
  }
  if (!bytes) throw missing('no-file');
  if (bytes.length === 0) throw missing(filename ? 'empty-file' : 'no-file-name');
  return bytes;
}

/** Every file of a batch request, in order; a file over the size limit gets an error and the rest are still read. */
export async function readBatchImages(request: FastifyRequest, limits: UploadLimits): Promise<UploadedFile[]> {
  if (!request.isMultipart()) {
    throw new FaceReadError('UNSUPPORTED_MEDIA_TYPE', 'A batch must be multipart/form-data with one or more files (field `image`).');
  }
  refuseImpossibleLength(request, limits, limits.maxFiles);
  const files: UploadedFile[] = [];
  try {
    // A file over the limit is truncated rather than ending the whole request, so the others are still read.
    // throwFileSizeLimit is honoured at run time though the plugin's type of parts() omits it.
    const partsOptions = { limits: partLimits(limits), throwFileSizeLimit: false };
    for await (const part of request.parts(partsOptions)) {
      if (part.type !== 'file') continue;
      const filename = part.filename || null;
      const bytes = await part.toBuffer();
      if (part.file.truncated) {
        files.push({ filename, bytes: null, error: new FaceReadError('IMAGE_TOO_LARGE', `The file is larger than the limit of ${limits.maxBytes} bytes.`) });
      } else if (bytes.length > 0) {
        files.push({ filename, bytes, error: null });
      } else if (filename) {
        files.push({ filename, bytes: null, error: missing('empty-file') });
      }
      // An empty file input (nothing chosen) is skipped.
    }
  } catch (error) {
    throw multipartError(error, limits);
  }
  if (files.length === 0) throw missing('no-file');
  return files;
}
