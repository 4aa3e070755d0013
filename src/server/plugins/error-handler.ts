/**
 * Turns every failure into the registry's shape, `{ error: { code, message } }`,
 * with the code's HTTP status: FaceReadErrors as they are, fastify's and its
 * plugins' errors mapped to the nearest registered code, anything else a
 * logged 500 whose details stay in the log. No stack traces reach clients.
 */
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES, FaceReadError, isFaceReadError, type ErrorCode } from '../../errors.js';

/** fastify / plugin error codes and the registered code each becomes. */
const FRAMEWORK_CODES: Readonly<Record<string, ErrorCode>> = {
  FST_REQ_FILE_TOO_LARGE: 'IMAGE_TOO_LARGE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'IMAGE_TOO_LARGE',
  FST_FILES_LIMIT: 'TOO_MANY_FILES',
  FST_PARTS_LIMIT: 'TOO_MANY_FILES',
  FST_FIELDS_LIMIT: 'TOO_MANY_FILES',
  FST_PROTO_VIOLATION: 'MULTIPART_MALFORMED',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'MULTIPART_MALFORMED',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_NOT_FOUND: 'NOT_FOUND',
};

/** One failed check of a route's schema, as fastify's ajv reports it. */
interface ValidationIssue {
  keyword?: string;
  instancePath?: string;
  message?: string;
  params?: { additionalProperty?: string };
}

interface SchemaProperties {
  properties?: Record<string, { description?: string }>;
}

/**
 * Words a schema failure with the option's name, what it allows and what it received, e.g.
 * "Invalid query option minScore: must be <= 1 (received '7'). Drop faces whose ...".
 */
export function describeValidation(issue: ValidationIssue, received: Record<string, unknown> | undefined, schema: SchemaProperties | undefined): string {
  const allowed = Object.keys(schema?.properties ?? {});
  if (issue.keyword === 'additionalProperties') {
    return `Unknown query option '${issue.params?.additionalProperty}'. Should be one of: ${allowed.join(', ')}`;
  }
  const name = (issue.instancePath ?? '').replace(/^\//, '');
  if (!name) return `Invalid query: ${issue.message ?? 'validation failed'}`;
  const value = received?.[name];
  const shown = typeof value === 'string' ? `'${value}'` : String(value);
  const description = schema?.properties?.[name]?.description;
  return `Invalid query option ${name}: ${issue.message ?? 'wrong value'} (received ${shown}).${description ? ` ${description}` : ''}`;
}

/** Maps any error to a FaceReadError a client may see; `request` words schema failures with the values received. */
export function toClientError(error: unknown, request?: FastifyRequest): FaceReadError {
  if (isFaceReadError(error)) return error;
  const e = error as Partial<FastifyError> & { validation?: ValidationIssue[]; validationContext?: string };
  if (e.validation) {
    const issue = e.validation[0];
    if (!issue || e.validationContext !== 'querystring') return new FaceReadError('INVALID_OPTION', `Invalid request: ${e.message ?? 'validation failed'}`);
    const schema = request?.routeOptions.schema?.querystring as SchemaProperties | undefined;
    return new FaceReadError('INVALID_OPTION', describeValidation(issue, request?.query as Record<string, unknown> | undefined, schema));
  }
  const mapped = e.code ? FRAMEWORK_CODES[e.code] : undefined;
  if (mapped) return new FaceReadError(mapped, messageFor(mapped, e.message));
  const status = e.statusCode ?? 500;
  if (status === 429) return new FaceReadError('RATE_LIMITED', e.message ?? 'Too many requests; retry later.');
  if (status === 404) return new FaceReadError('NOT_FOUND', e.message ?? 'Not found.');
  if (status === 503) return new FaceReadError('SERVER_BUSY', 'The server is not taking requests now; retry later.');
  if (status >= 400 && status < 500) return new FaceReadError('BAD_REQUEST', e.message ?? 'The request is malformed.');
  return new FaceReadError('INTERNAL_ERROR', ERROR_CODES.INTERNAL_ERROR.description);
}

function messageFor(code: ErrorCode, original: string | undefined): string {
  switch (code) {
    case 'IMAGE_TOO_LARGE':
      return 'The upload is larger than the size limit.';
    case 'TOO_MANY_FILES':
      return `Too many files or form parts: ${original ?? 'limit reached'}.`;
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 'Send the photo as multipart/form-data (field `image`) or as a raw body with an image/* content type.';
    default:
      return original ?? ERROR_CODES[code].description;
  }
}

/** Another JSON body (as text), status and headers for a failed request (the classic answers), or null for the registry's shape. */
export type ErrorPresenter = (error: FaceReadError, request: FastifyRequest) => { statusCode: number; body: string; headers: Record<string, string> } | null;

export interface ErrorHandlerOptions {
  /** Seconds to put in Retry-After on SERVER_BUSY and NOT_READY. */
  retryAfterSeconds(): number;
  /** Limit to quote in IMAGE_TOO_LARGE messages. */
  maxUploadBytes: number;
  /** Shapes the errors of requests that asked for another shape (the classic answers); the rest keep the registry's. */
  present?: ErrorPresenter;
}

/** Installs the error and not-found handlers on `app` (call on the root instance). */
export function installErrorHandler(app: FastifyInstance, options: ErrorHandlerOptions): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    let clientError = toClientError(error, request);
    if (clientError.code === 'IMAGE_TOO_LARGE' && !isFaceReadError(error)) {
      clientError = new FaceReadError('IMAGE_TOO_LARGE', `The upload is larger than the limit of ${options.maxUploadBytes} bytes.`);
    }
    if (clientError.statusCode >= 500 && clientError.code === 'INTERNAL_ERROR') {
      request.log.error({ err: error }, 'unexpected error');
    } else if (isFaceReadError(error) && error.cause) {
      request.log.debug({ err: error.cause }, `request failed: ${error.code}`);
    }
    if (clientError.code === 'SERVER_BUSY' || clientError.code === 'NOT_READY') {
      reply.header('retry-after', String(options.retryAfterSeconds()));
    }
    // The rest of an upload refused for its size is not worth reading: end the connection after the answer.
    if (clientError.statusCode === 413) reply.header('connection', 'close');
    // Errors thrown while an annotated image was negotiated still answer in JSON (either shape).
    const presented = options.present?.(clientError, request);
    if (presented) {
      // Sent as text: the routes' error serializers are for the registry's shape.
      reply.headers(presented.headers).code(presented.statusCode).type('application/json; charset=utf-8').send(presented.body);
      return;
    }
    reply.code(clientError.statusCode).type('application/json; charset=utf-8').send({ error: clientError.toJSON() });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: { code: 'NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}` } });
  });
}

/**
 * Node's HTTP parser rejects some requests before fastify sees them (conflicting length
 * headers, oversized headers, a body not received in time); answer those in the registry's
 * shape too (fastify's `clientErrorHandler` option), then drop the connection.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const reason =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? 'The request was not received in time.'
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? 'The request headers are too large.'
        : 'The request is malformed (headers, length or framing).';
  const body = JSON.stringify({ error: new FaceReadError('BAD_REQUEST', reason).toJSON() });
  if (socket.writable) {
    socket.write(`HTTP/1.1 400 Bad Request\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}
