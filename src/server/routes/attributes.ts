/**
 * `GET /api/attributes`: every attribute `attributes=` takes, from the
 * registry (src/attributes/registry.ts), with its labels in the page's
 * languages and how the page shows it in a face card. The page builds its
 * attribute choice and its cards from this.
 */
import type { FastifyInstance } from 'fastify';
import { ATTRIBUTE_DEFINITIONS, DEFAULT_ATTRIBUTES } from '../../attributes/registry.js';
import { errorResponses } from '../schemas/error-response.js';

const labels = { type: 'object', properties: { en: { type: 'string' }, 'zh-CN': { type: 'string' } } } as const;

const attributeSchema = {
  type: 'object',
  required: ['name', 'description', 'byDefault', 'label', 'page'],
  properties: {
    name: { type: 'string', description: 'A value of `attributes=`.' },
    description: { type: 'string' },
    byDefault: { type: 'boolean', description: 'Computed when `attributes` is not given.' },
    label: labels,
    page: {
      type: 'object',
      additionalProperties: true,
      description: 'How the page shows it: `builtIn`, or `lines` (templates per language over the value: `{field}`, `{field|%}`, `{field|0}`, `{field|term}`) and `terms`.',
    },
  },
} as const;

/** The route's answer, the same for every request. */
export function describeAttributes() {
  return {
    default: [...DEFAULT_ATTRIBUTES],
    attributes: ATTRIBUTE_DEFINITIONS.map((d) => ({ name: d.name, description: d.description, byDefault: d.byDefault, label: d.label, page: d.page })),
  };
}

export async function attributeRoutes(app: FastifyInstance): Promise<void> {
  const answer = describeAttributes();
  app.get(
    '/api/attributes',
    {
      schema: {
        summary: 'The attributes `attributes=` takes, with their labels',
        tags: ['analysis'],
        response: {
          200: {
            type: 'object',
            required: ['default', 'attributes'],
            properties: { default: { type: 'array', items: { type: 'string' } }, attributes: { type: 'array', items: attributeSchema } },
          },
          ...errorResponses(401, 429),
        },
      },
    },
    async () => answer,
  );
}
