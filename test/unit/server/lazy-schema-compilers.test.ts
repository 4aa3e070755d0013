import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { lazySchemaCompilers } from '../../../src/server/lazy-schema-compilers.js';

function appWith(compilers: ReturnType<typeof lazySchemaCompilers>) {
  const app = Fastify({ schemaController: { compilersFactory: compilers.factory }, ajv: { customOptions: { coerceTypes: true } } });
  app.addSchema({ $id: 'point', type: 'object', properties: { x: { type: 'number' } }, required: ['x'] });
  app.get('/p', {
    schema: {
      querystring: { type: 'object', properties: { x: { type: 'integer', minimum: 0 } }, required: ['x'], additionalProperties: false },
      response: { 200: { type: 'object', properties: { point: { $ref: 'point#' } } } },
    },
  }, async (request) => ({ point: { x: (request.query as { x: number }).x, secret: 'dropped by the serializer' } }));
  return app;
}

test('route schemas are not compiled when the app is built, only on first use or by compilePending', async () => {
  const compilers = lazySchemaCompilers();
  const app = appWith(compilers);
  await app.ready();
  // The query validator and the 200 serializer of GET /p and of the HEAD route fastify adds.
  const waiting = compilers.pending();
  assert.equal(waiting, 4);
  // First use compiles: the query is coerced to an integer and the response serialised by its schema.
  const ok = await app.inject({ url: '/p?x=3' });
  assert.equal(ok.statusCode, 200);
  assert.deepEqual(ok.json(), { point: { x: 3 } });
  assert.equal(compilers.pending(), waiting - 2, 'the GET route\'s two were compiled');
  await app.close();
});

test('a lazily compiled validator still reports what is wrong (ajv errors reach fastify)', async () => {
  const compilers = lazySchemaCompilers();
  const app = appWith(compilers);
  await app.ready();
  const bad = await app.inject({ url: '/p?x=-1' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().message, /querystring\/x must be >= 0/);
  const missing = await app.inject({ url: '/p' });
  assert.equal(missing.statusCode, 400);
  assert.match(missing.json().message, /must have required property 'x'/);
  await app.close();
});

test('compilePending compiles every waiting schema and leaves answers unchanged', async () => {
  const compilers = lazySchemaCompilers();
  const app = appWith(compilers);
  await app.ready();
  await compilers.compilePending();
  assert.equal(compilers.pending(), 0);
  assert.deepEqual((await app.inject({ url: '/p?x=5' })).json(), { point: { x: 5 } });
  await app.close();
});
