/**
 * `buildApp` assembles the HTTP service from an analyzer (or one per
 * offered model profile) and a frozen config: security headers, optional
 * CORS / rate limit / API key, the analysis routes behind a bounded queue
 * per profile, the profile list, health and metrics, the OpenAPI document
 * and its docs page, and the web page. It does not listen; see `serve`
 * (src/server/serve.ts) for the process around it.
 *
 * @example
 *   const app = await buildApp({ analyzer: await createAnalyzer(), config: loadServerConfig() });
 *   const response = await app.inject({ method: 'GET', url: '/healthz' });
 *   // two profiles: POST /api/analyze?models=fast uses the second
 *   await buildApp({ profiles: [{ name: 'default', models, analyzer }, { name: 'fast', models: fastModels, analyzer: fast }], config });
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { FaceReadError } from '../errors.js';
import type { Analyzer } from '../types.js';
import type { AnalysisGate } from './analysis-gate.js';
import { builtInProfileModels, type OfferedProfile } from './analyzer-set.js';
import { classicErrorPresenter } from './classic-format.js';
import { offeredProfiles, type ServerConfig } from './config.js';
import { installApiKey } from './plugins/api-key.js';
import { answerClientError, installErrorHandler } from './plugins/error-handler.js';
import { createMetrics, installMetrics } from './plugins/metrics.js';
import { loadPageMessages } from './page-messages.js';
import { createProfileGates, type GateProfile, type ProfileGates } from './profile-gates.js';
import { lazySchemaCompilers } from './lazy-schema-compilers.js';
import { analyzeRoutes } from './routes/analyze.js';
import { attributeRoutes } from './routes/attributes.js';
import { healthRoutes } from './routes/health.js';
import { profileRoutes } from './routes/profiles.js';
import { analysisResultSchema, batchResponseSchema } from './schemas/analysis-result.js';
import { classicAnswerSchema, classicErrorSchema } from './schemas/classic-answer.js';
import { errorResponseSchema } from './schemas/error-response.js';
import { VERSION } from '../version.js';

export interface BuildAppOptions {
  /**
   * The analyzer, or the promise of one while its models load (`/readyz` says 503 until it resolves),
   * offered as the config's default profile. Give either this or `profiles`.
   */
  analyzer?: Analyzer | Promise<Analyzer>;
  /** Every offered profile with its analyzer, the default first (serve() loads them from the config). */
  profiles?: readonly OfferedProfile[];
  config: Readonly<ServerConfig>;
  /** fastify's logger option; default: off (serve() passes a pino config). */
  logger?: FastifyServerOptions['logger'];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The bounded queue in front of the default profile's analyzer. */
    analysisGate: AnalysisGate;
    /** Every offered profile's bounded queue (`load()` sums them). */
    profileGates: ProfileGates;
    /** Compiles the route schemas no request has used yet (they compile on first use); serve() calls it once ready. */
    compilePendingSchemas: () => Promise<void>;
  }
}

/** The profiles the app offers: those given, or the bare analyzer as the config's default profile. */
function profilesToOffer(options: BuildAppOptions): GateProfile[] {
  if (options.profiles && options.analyzer) throw new TypeError('buildApp takes an analyzer or profiles, not both');
  if (options.profiles) return [...options.profiles];
  if (!options.analyzer) throw new TypeError('buildApp needs an analyzer or profiles');
  const name = offeredProfiles(options.config)[0]!;
  return [{ name, models: builtInProfileModels(name) ?? null, analyzer: options.analyzer }];
}

/** The page's folder: `web/` at the package root, found from both `src/server` (tsx) and `dist/src/server`. */
export function webRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, '..', '..', 'web'), join(here, '..', '..', '..', 'web')]) {
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  throw new FaceReadError('NOT_FOUND', `The web page folder was not found near ${here}; reinstall the package (npm ci).`);
}

/**
 * While closing, responses of requests still in flight say `Connection: close`, so their
 * keep-alive sockets end with them and `app.close()` does not wait on idle clients.
 */
function installDrainOnClose(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async () => {
    if (closing) app.server.closeIdleConnections?.();
  });
}

/** How long a client may take to send its whole request (slow uploads are dropped after it). */
function socketRequestTimeoutMs(config: Readonly<ServerConfig>): number {
  return config.requestTimeoutMs + 10_000;
}

/** Builds (but does not start) the HTTP service. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const compilers = lazySchemaCompilers();
  const app = Fastify({
    logger: options.logger ?? false,
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.trustProxy,
    // Requests may wait in the analysis queue; the analysis timeout, not the socket, bounds them.
    requestTimeout: socketRequestTimeoutMs(config),
    // Node 20 reads requestTimeout when the server is constructed: fastify sets it afterwards, where it
    // has no effect (a trickling client kept its connection for Node's default 5 minutes). Node checks
    // it every 30 s by default; check a tenth as often as the timeout, at least each second.
    http: {
      requestTimeout: socketRequestTimeoutMs(config),
      connectionsCheckingInterval: Math.min(30_000, Math.max(1_000, Math.round(socketRequestTimeoutMs(config) / 10))),
    },
    clientErrorHandler: answerClientError,
    // Closing stops new connections; a request on a connection already open is still answered (with
    // Connection: close, see installDrainOnClose) rather than refused with 503: its upload may
    // have been sent before the signal, while this thread was busy.
    return503OnClosing: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, allErrors: false } },
    schemaController: { compilersFactory: compilers.factory },
  });
  app.decorate('compilePendingSchemas', compilers.compilePending);
  const gates = createProfileGates(profilesToOffer(options), { queueLimit: config.queueLimit, timeoutMs: config.requestTimeoutMs });
  app.decorate('analysisGate', gates.pick(undefined).gate);
  app.decorate('profileGates', gates);
  const metrics = createMetrics(() => gates.loadByProfile());

  const present = classicErrorPresenter(config.apiCompat, await loadPageMessages(webRoot()));
  installErrorHandler(app, { retryAfterSeconds: () => gates.retryAfterSeconds(), maxUploadBytes: config.maxUploadBytes, present });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ method: request.method, url: request.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });
  installMetrics(app, metrics);
  installDrainOnClose(app);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Photos are shown from blob: URLs; Swagger UI uses data: images.
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        // No CDN and no inline scripts: everything comes from this server.
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        upgradeInsecureRequests: null,
      },
    },
    // The page may be served over plain HTTP on a LAN; HSTS only makes sense behind TLS.
    strictTransportSecurity: false,
  });
  // CORS and the rate limit are loaded only when configured (~80 ms of start-up otherwise).
  if (config.corsOrigins.length > 0) {
    const { default: cors } = await import('@fastify/cors');
    await app.register(cors, { origin: [...config.corsOrigins], methods: ['GET', 'POST'], allowedHeaders: ['Authorization', 'Content-Type'] });
  }
  if (config.rateLimitMax > 0) {
    const { default: rateLimit } = await import('@fastify/rate-limit');
    await app.register(rateLimit, {
      global: true,
      max: config.rateLimitMax,
      timeWindow: config.rateLimitWindowMs,
      allowList: (request) => !request.url.startsWith('/api/'),
      errorResponseBuilder: (_request, context) => {
        const error = new FaceReadError('RATE_LIMITED', `Rate limit of ${context.max} requests per ${context.after} reached; retry later.`);
        return Object.assign(error, { statusCode: 429 });
      },
    });
  }
  installApiKey(app, config.apiKey);

  app.addSchema(errorResponseSchema);
  app.addSchema(analysisResultSchema);
  app.addSchema(batchResponseSchema);
  app.addSchema(classicAnswerSchema);
  app.addSchema(classicErrorSchema);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'FaceRead API',
        description: 'Finds the faces in a photo and gives each a gender (with probability) and an age. Errors are `{ "error": { "code", "message" } }`.',
        version: VERSION,
      },
      tags: [
        { name: 'analysis', description: 'Face analysis' },
        { name: 'health', description: 'Liveness and readiness' },
      ],
      components: config.apiKey ? { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The key set in FACEREAD_API_KEY.' } } } : {},
    },
    // The key guards /api/* only: the docs mark those routes, not /healthz and /readyz.
    transformObject: (document) => {
      if (!('openapiObject' in document)) return document.swaggerObject;
      const { openapiObject } = document;
      if (!config.apiKey || !openapiObject.paths) return openapiObject;
      for (const [url, operations] of Object.entries(openapiObject.paths)) {
        if (!url.startsWith('/api/')) continue;
        for (const operation of Object.values(operations as Record<string, { security?: unknown }>)) operation.security = [{ bearer: [] }];
      }
      return openapiObject;
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true,
    // A LAN deployment is plain HTTP: upgrading the docs' requests to https would break them.
    // Swagger UI's bundle adds a <style> element at run time: allow inline styles as the page's own CSP does.
    transformStaticCSP: (header) => header.replace(/upgrade-insecure-requests;?/, '').replace(/style-src 'self'/, "style-src 'self' 'unsafe-inline'"),
    uiConfig: { url: '/openapi.json' } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes, { gate: gates });
  await app.register(profileRoutes, { gates });
  await app.register(attributeRoutes);
  await app.register(analyzeRoutes, { gates, metrics, limits: { maxBytes: config.maxUploadBytes, maxFiles: config.maxBatchFiles }, apiCompat: config.apiCompat });
  await app.register(fastifyStatic, { root: webRoot(), prefix: '/', index: ['index.html'], cacheControl: true, maxAge: '1h' });
  return app;
}
