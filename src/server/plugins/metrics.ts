/**
 * Prometheus metrics at `GET /metrics` (prom-client, one registry per app):
 * requests by route, method and status; request latency per route; the
 * pipeline's stage times from each result's `timingsMs`; the queue depth
 * and photos being analysed; faces found; and prom-client's process
 * metrics, which include event-loop delay percentiles and resident memory.
 * Analysis metrics carry a `profile` label: the model profile that answered.
 *
 * @example
 *   const metrics = createMetrics(() => gates.loadByProfile());
 *   installMetrics(app, metrics);
 *   metrics.observeAnalysis(result, 'default');
 */
import type {} from '@fastify/swagger'; // schema.hide
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AnalysisResult } from '../../types.js';

export interface ServerMetrics {
  readonly registry: Registry;
  /** Records one analysed photo's stage timings and face count, by the profile that analysed it. */
  observeAnalysis(result: AnalysisResult, profile: string): void;
  /** Records a photo that failed, by error code and profile. */
  observeFailure(code: string, profile: string): void;
}

const STAGES = ['decode', 'detect', 'attributes', 'total'] as const;

/**
 * The event-loop timer's interval. monitorEventLoopDelay records the time between its ticks,
 * so nodejs_eventloop_lag_* include this much even on an idle loop (p99 ~16 ms measured idle);
 * the loop's own delay is the figure minus this.
 */
export const EVENT_LOOP_SAMPLING_MS = 10;

/** @param loadByProfile each profile's current load, read when metrics are scraped */
export function createMetrics(loadByProfile: () => readonly { profile: string; queued: number; running: number }[]): ServerMetrics & {
  requests: Counter<'route' | 'method' | 'status'>;
  latency: Histogram<'route'>;
} {
  const registry = new Registry();
  // Includes nodejs_eventloop_lag_* (p50/p90/p99 from monitorEventLoopDelay) and process_resident_memory_bytes.
  collectDefaultMetrics({ register: registry, prefix: '', eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLING_MS });

  const requests = new Counter({
    name: 'faceread_http_requests_total',
    help: 'HTTP requests by route, method and status code',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'faceread_http_request_duration_seconds',
    help: 'Time from request received to response sent, by route',
    labelNames: ['route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const stages = new Histogram({
    name: 'faceread_analysis_stage_seconds',
    help: 'Time per pipeline stage of analysed photos (from timingsMs), by profile',
    labelNames: ['stage', 'profile'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const byProfile = ['profile'] as const;
  const faces = new Counter({ name: 'faceread_faces_found_total', help: 'Faces found in analysed photos, by profile', labelNames: byProfile, registers: [registry] });
  const photos = new Counter({ name: 'faceread_photos_analysed_total', help: 'Photos analysed successfully, by profile', labelNames: byProfile, registers: [registry] });
  const failures = new Counter({
    name: 'faceread_photo_failures_total',
    help: 'Photos that could not be analysed, by error code and profile',
    labelNames: ['code', 'profile'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'faceread_queue_depth',
    help: 'Photos admitted and waiting for an analysis worker, by profile',
    labelNames: byProfile,
    registers: [registry],
    collect() {
      for (const { profile, queued } of loadByProfile()) this.set({ profile }, queued);
    },
  });
  new Gauge({
    name: 'faceread_analyses_running',
    help: 'Photos being analysed by workers now, by profile',
    labelNames: byProfile,
    registers: [registry],
    collect() {
      for (const { profile, running } of loadByProfile()) this.set({ profile }, running);
    },
  });

  return {
    registry,
    requests,
    latency,
    observeAnalysis(result, profile) {
      photos.inc({ profile });
      faces.inc({ profile }, result.faces.length);
      for (const stage of STAGES) {
        const ms = result.timingsMs[stage];
        if (typeof ms === 'number') stages.observe({ stage, profile }, ms / 1000);
      }
    },
    observeFailure(code, profile) {
      failures.inc({ code, profile });
    },
  };
}

/** Counts every response and serves `GET /metrics`. */
export function installMetrics(app: FastifyInstance, metrics: ReturnType<typeof createMetrics>): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ route, method: request.method, status: String(reply.statusCode) });
    metrics.latency.observe({ route }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
