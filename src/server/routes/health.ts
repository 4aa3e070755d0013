/**
 * `GET /healthz`: the process is alive (answers even while models load or
 * the queue is full). `GET /readyz`: the models are loaded and requests are
 * accepted; 503 NOT_READY before that (with several model profiles: until
 * every profile's models are loaded), so a load balancer waits.
 */
import type { FastifyInstance } from 'fastify';
import { FaceReadError } from '../../errors.js';
import type { AnalysisGate } from '../analysis-gate.js';
import { errorResponses } from '../schemas/error-response.js';

export async function healthRoutes(app: FastifyInstance, deps: { gate: Pick<AnalysisGate, 'ready'> }): Promise<void> {
  const status = { type: 'object', properties: { status: { type: 'string' } } };
  app.get('/healthz', { schema: { summary: 'Liveness', tags: ['health'], response: { 200: status } } }, async () => ({ status: 'ok' }));
  app.get(
    '/readyz',
    { schema: { summary: 'Readiness: models loaded', tags: ['health'], response: { 200: status, ...errorResponses(503) } } },
    async () => {
      if (!deps.gate.ready) throw new FaceReadError('NOT_READY', 'The models are still loading.');
      return { status: 'ready' };
    },
  );
}
