/**
 * `POST /api/analyze` (one photo, multipart or raw image body; JSON result
 * or, with `annotate=true` and an image Accept, the annotated photo; with
 * `format=classic` or FACEREAD_API_COMPAT=classic, the classic app's shapes) and
 * `POST /api/analyze/batch` (several files in one multipart request,
 * results in order with a per-file error where one fails). Both take
 * `?models=<profile>`: the offered profile whose analyzer answers.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { FaceReadError, isFaceReadError } from '../../errors.js';
import { drawOverlay } from '../../image/draw-overlay.js';
import type { AnalysisResult } from '../../types.js';
import { classicAnswer, classicJson, wantsClassic, type ApiCompat } from '../classic-format.js';
import { annotatedFormat } from '../negotiate.js';
import type { ServerMetrics } from '../plugins/metrics.js';
import type { ProfileGates } from '../profile-gates.js';
import { analyzeQuerySchema, batchQuerySchema, documentedQuery, toAnalyzeOptions, type AnalyzeQuery } from '../schemas/analyze-query.js';
import { classicDocumentation } from '../schemas/classic-answer.js';
import { errorResponses } from '../schemas/error-response.js';
import { readBatchImages, readSingleImage, type UploadLimits } from '../upload.js';

export interface AnalyzeRouteDeps {
  /** One bounded queue per offered profile; a request picks one with `?models=`. */
  gates: ProfileGates;
  metrics: ServerMetrics;
  limits: UploadLimits;
  /** The server's default answer shape for `/api/analyze` (FACEREAD_API_COMPAT); `?format=` overrides it. */
  apiCompat: ApiCompat;
}

const RAW_TYPES = /^(image\/[\w.+-]+|application\/octet-stream)$/i;

/** Request bodies for the OpenAPI document only: multipart bodies are read by the handler, not validated by fastify. */
const singleBody = {
  description:
    'multipart/form-data with the photo in field `image`, or the photo itself as the body with its image/* content type.',
  content: {
    'multipart/form-data': {
      schema: { type: 'object', required: ['image'], properties: { image: { type: 'string', format: 'binary' } } },
    },
    'image/*': { schema: { type: 'string', format: 'binary' } },
  },
};

const batchBody = {
  description: 'multipart/form-data with one or more files (field `image`, repeated).',
  content: {
    'multipart/form-data': {
      schema: { type: 'object', properties: { image: { type: 'array', items: { type: 'string', format: 'binary' } } } },
    },
  },
};

/**
 * The route's schema as the OpenAPI document shows it: its request body, the offered profiles as `models`'s
 * values, and (for the single analysis) the classic shapes beside FaceRead's.
 */
function documented(requestBody: object, querystring: object, response?: (documented: Record<string, unknown>) => object) {
  return ({ schema, url }: { schema: { response?: unknown }; url: string }) => ({
    schema: { ...schema, body: requestBody, querystring, ...(response && schema.response ? { response: response(schema.response as Record<string, unknown>) } : {}) },
    url,
  });
}

function serverTiming(reply: FastifyReply, result: AnalysisResult): void {
  const entries = Object.entries(result.timingsMs).map(([stage, ms]) => `${stage};dur=${ms.toFixed(1)}`);
  reply.header('server-timing', entries.join(', '));
}

/** Registers the analysis routes; register it as a plugin so its body parsers stay in its own context. */
export async function analyzeRoutes(app: FastifyInstance, deps: AnalyzeRouteDeps): Promise<void> {
  const { gates, metrics, limits, apiCompat } = deps;
  // Only images (and multipart, added by @fastify/multipart) are bodies here: JSON, text and the rest get 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(RAW_TYPES, { parseAs: 'buffer', bodyLimit: limits.maxBytes }, (_request, payload, done) => done(null, payload));
  // Multipart bodies are streamed by the handlers (request.file / parts), in memory, never to disk.
  await app.register(multipart, { limits: { fileSize: limits.maxBytes } });

  const track = async (pending: Promise<AnalysisResult>, profile: string): Promise<AnalysisResult> => {
    try {
      const result = await pending;
      metrics.observeAnalysis(result, profile);
      return result;
    } catch (error) {
      metrics.observeFailure(isFaceReadError(error) ? error.code : 'INTERNAL_ERROR', profile);
      throw error;
    }
  };

  app.post<{ Querystring: AnalyzeQuery }>(
    '/api/analyze',
    {
      bodyLimit: limits.maxBytes,
      config: { classicAnswers: true, swaggerTransform: documented(singleBody, documentedQuery(analyzeQuerySchema, gates.names), classicDocumentation) },
      schema: {
        summary: 'Find the faces in one photo with their gender and age',
        tags: ['analysis'],
        querystring: analyzeQuerySchema,
        response: {
          200: {
            description: 'The analysis (JSON), or with `annotate=true` the annotated photo: PNG or JPEG as Accept asks, JPEG when Accept asks for no image and lists no JSON (none, or `*/*`); JSON when Accept lists only JSON.',
            content: {
              'application/json': { schema: { $ref: 'AnalysisResult#' } },
              'image/png': { schema: { type: 'string', format: 'binary' } },
              'image/jpeg': { schema: { type: 'string', format: 'binary' } },
            },
          },
          ...errorResponses(400, 401, 413, 415, 422, 429, 500, 503, 504),
        },
      },
    },
    async (request, reply) => {
      // Before reading the upload: an unknown profile is a 400 whatever the photo.
      const { name: profile, gate } = gates.pick(request.query.models);
      const classic = wantsClassic(request.query.format, apiCompat);
      const photo = await readSingleImage(request, limits);
      const format = request.query.annotate ? annotatedFormat(request.headers.accept) : null;
      const result = await track(gate.analyze(photo, toAnalyzeOptions(request.query)), profile);
      request.log.info({ bytes: photo.length, profile, timingsMs: result.timingsMs }, 'photo analysed');
      serverTiming(reply, result);
      if (format) {
        const annotated = await drawOverlay(photo, result, format);
        return reply.type(`image/${format}`).send(annotated);
      }
      // Sent as text, as Flask writes it; the route's serializer is for FaceRead's result.
      if (classic) return reply.type('application/json; charset=utf-8').send(classicJson(classicAnswer(result)));
      return reply.type('application/json; charset=utf-8').send(result);
    },
  );

  app.post<{ Querystring: Omit<AnalyzeQuery, 'annotate'> }>(
    '/api/analyze/batch',
    {
      config: { swaggerTransform: documented(batchBody, documentedQuery(batchQuerySchema, gates.names)) },
      schema: {
        summary: 'Analyse several photos sent in one multipart request',
        tags: ['analysis'],
        querystring: batchQuerySchema,
        response: { 200: { $ref: 'BatchResponse#' }, ...errorResponses(400, 401, 413, 415, 429, 500, 503) },
      },
    },
    async (request) => {
      const { name: profile, gate } = gates.pick(request.query.models);
      const files = await readBatchImages(request, limits);
      const readable = files.filter((file) => file.bytes !== null);
      const pending = readable.length > 0 ? gate.analyzeMany(readable.map((file) => file.bytes!), toAnalyzeOptions(request.query)) : [];
      const settled = await Promise.allSettled(pending.map((photo) => track(photo, profile)));
      let next = 0;
      const results = files.map((file, index) => {
        const entry = { index, filename: file.filename, bytes: file.bytes?.length ?? 0 };
        if (file.error) return { ...entry, error: file.error.toJSON() };
        const outcome = settled[next++]!;
        if (outcome.status === 'fulfilled') return { ...entry, result: outcome.value };
        const error = isFaceReadError(outcome.reason) ? outcome.reason : new FaceReadError('INTERNAL_ERROR', 'The analysis failed unexpectedly.');
        if (!isFaceReadError(outcome.reason)) request.log.error({ err: outcome.reason }, 'batch photo failed');
        return { ...entry, error: error.toJSON() };
      });
      request.log.info({ files: files.map((file) => file.bytes?.length ?? 0), profile }, 'batch analysed');
      return { results };
    },
  );
}
