/**
 * `GET /api/profiles`: the model profiles this server offers (the values of
 * `?models=`), the default first, each with its model ids and whether its
 * models are loaded. The page shows a profile selector from it.
 */
import type { FastifyInstance } from 'fastify';
import type { ProfileGates } from '../profile-gates.js';
import { errorResponses } from '../schemas/error-response.js';

const profileSchema = {
  type: 'object',
  required: ['name', 'models', 'ready'],
  properties: {
    name: { type: 'string', description: 'The value to send as `models=`.' },
    models: {
      type: 'object',
      nullable: true,
      description: 'The model ids of the profile (null when the server does not know them).',
      properties: {
        detector: { type: 'string', description: 'The first detector.' },
        detectors: { type: 'array', items: { type: 'string' }, description: 'The detector chain: each runs only when the ones before found no face.' },
        landmarks: { type: 'string' },
        attributes: { type: 'array', items: { type: 'string' }, description: 'Every attribute model, once each.' },
        answers: {
          type: 'object',
          description: 'The model(s) answering each attribute (several: their answers are averaged).',
          properties: { age: { type: 'array', items: { type: 'string' } }, gender: { type: 'array', items: { type: 'string' } } },
        },
      },
    },
    ready: { type: 'boolean', description: 'Whether its models are loaded.' },
  },
} as const;

export async function profileRoutes(app: FastifyInstance, deps: { gates: ProfileGates }): Promise<void> {
  app.get(
    '/api/profiles',
    {
      schema: {
        summary: 'The model profiles offered (values of `models=`), the default first',
        tags: ['analysis'],
        response: {
          200: {
            type: 'object',
            required: ['default', 'profiles'],
            properties: { default: { type: 'string' }, profiles: { type: 'array', items: profileSchema } },
          },
          ...errorResponses(401, 429),
        },
      },
    },
    async () => ({ default: deps.gates.names[0], profiles: deps.gates.describe() }),
  );
}
