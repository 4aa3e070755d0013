/**
 * HTTP mechanics of the API with app.inject and a controllable analyzer:
 * every error status, multipart and raw bodies, batch, the bounded queue,
 * timeouts, API key, CORS, rate limit, security headers, metrics, OpenAPI.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/server/app.js';
import type { ServerConfig } from '../../../src/server/config.js';
import type { Analyzer } from '../../../src/types.js';
import { fakeAnalyzer, multipart, sample, testConfig, type FakeAnalyzer } from './helpers.js';

async function withApp(
  test: (app: FastifyInstance, analyzer: FakeAnalyzer) => Promise<void>,
  overrides: Partial<ServerConfig> = {},
  analyzer: FakeAnalyzer = fakeAnalyzer(),
): Promise<void> {
  const app = await buildApp({ analyzer, config: testConfig(overrides) });
  try {
    await test(app, analyzer);
  } finally {
    await app.close();
  }
}

const raw = (payload: Buffer | string, type = 'image/jpeg', url = '/api/analyze') => ({
  method: 'POST' as const,
  url,
  headers: { 'content-type': type },
  payload,
});

function assertError(response: { statusCode: number; json(): unknown }, status: number, code: string): void {
  assert.equal(response.statusCode, status, JSON.stringify(response.json()));
  const body = response.json() as { error: Record<string, unknown> };
  assert.deepEqual(Object.keys(body), ['error']);
  assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message']);
  assert.equal(body.error.code, code);
  assert.doesNotMatch(String(body.error.message), /\n\s+at /, 'no stack trace');
}

describe('POST /api/analyze', () => {
  it('accepts a raw image body and returns the analysis as JSON', () =>
    withApp(async (app, analyzer) => {
      const response = await app.inject(raw(sample(1)));
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^application\/json/);
      assert.equal(response.json().faces.length, 1);
      assert.equal(response.json().faces[0].gender.label, 'female');
      assert.equal(analyzer.calls[0]!.bytes, sample(1).length);
      assert.match(String(response.headers['server-timing']), /detect;dur=2\.0/);
    }));

  it('accepts multipart with the file in field image, after a text field', () =>
    withApp(async (app, analyzer) => {
      const form = multipart([{ data: sample(2) }], { note: 'hello' });
      const response = await app.inject({ method: 'POST', url: '/api/analyze', ...form });
      assert.equal(response.statusCode, 200);
      assert.equal(analyzer.calls[0]!.bytes, sample(2).length);
    }));

  it('passes query options to the analyzer', () =>
    withApp(async (app, analyzer) => {
      const response = await app.inject(raw(sample(1), 'image/jpeg', '/api/analyze?minScore=0.7&maxFaces=2&attributes=gender'));
      assert.equal(response.statusCode, 200);
      assert.deepEqual(analyzer.calls[0]!.options, { minScore: 0.7, maxFaces: 2, attributes: ['gender'] });
    }));

  it('answers with an annotated PNG or JPEG when annotate=true (JPEG without an Accept), JSON when Accept lists only JSON', () =>
    withApp(async (app) => {
      const png = await app.inject({ ...raw(sample(1), 'image/jpeg', '/api/analyze?annotate=true'), headers: { 'content-type': 'image/jpeg', accept: 'image/png' } });
      assert.equal(png.statusCode, 200);
      assert.equal(png.headers['content-type'], 'image/png');
      assert.deepEqual([...png.rawPayload.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
      const jpeg = await app.inject({ ...raw(sample(1), 'image/jpeg', '/api/analyze?annotate=true'), headers: { 'content-type': 'image/jpeg', accept: 'image/jpeg' } });
      assert.equal(jpeg.headers['content-type'], 'image/jpeg');
      assert.deepEqual([...jpeg.rawPayload.subarray(0, 2)], [0xff, 0xd8]);
      const json = await app.inject({ ...raw(sample(1), 'image/jpeg', '/api/analyze?annotate=true'), headers: { 'content-type': 'image/jpeg', accept: 'application/json' } });
      assert.match(String(json.headers['content-type']), /^application\/json/);
      // annotate=true without an Accept (or with curl's */*) asks for the picture: JPEG, not silent JSON.
      for (const accept of [undefined, '*/*']) {
        const headers: Record<string, string> = { 'content-type': 'image/jpeg', ...(accept ? { accept } : {}) };
        const picture = await app.inject({ ...raw(sample(1), 'image/jpeg', '/api/analyze?annotate=true'), headers });
        assert.equal(picture.headers['content-type'], 'image/jpeg', String(accept));
        assert.deepEqual([...picture.rawPayload.subarray(0, 2)], [0xff, 0xd8]);
      }
    }));

  it('400 IMAGE_MISSING without a body, with a multipart body without a file, or an empty file', () =>
    withApp(async (app) => {
      assertError(await app.inject({ method: 'POST', url: '/api/analyze' }), 400, 'IMAGE_MISSING');
      const noFile = multipart([], { note: 'x' });
      assertError(await app.inject({ method: 'POST', url: '/api/analyze', ...noFile }), 400, 'IMAGE_MISSING');
      const empty = multipart([{ data: Buffer.alloc(0) }]);
      assertError(await app.inject({ method: 'POST', url: '/api/analyze', ...empty }), 400, 'IMAGE_MISSING');
    }));

  it('400 INVALID_OPTION for options out of range or of the wrong kind', () =>
    withApp(async (app) => {
      for (const query of ['minScore=2', 'minScore=high', 'maxFaces=0', 'attributes=age,hair', 'colour=red']) {
        const response = await app.inject(raw(sample(1), 'image/jpeg', `/api/analyze?${query}`));
        assertError(response, 400, 'INVALID_OPTION');
      }
    }));

  it('400 MULTIPART_MALFORMED for a truncated body or a missing boundary', () =>
    withApp(async (app) => {
      const form = multipart([{ data: sample(1) }]);
      const truncated = form.payload.subarray(0, 500);
      assertError(await app.inject({ method: 'POST', url: '/api/analyze', headers: form.headers, payload: truncated }), 400, 'MULTIPART_MALFORMED');
      assertError(await app.inject(raw('junk', 'multipart/form-data')), 400, 'MULTIPART_MALFORMED');
    }));

  it('413 IMAGE_TOO_LARGE over the configured limit, raw or multipart', () =>
    withApp(
      async (app, analyzer) => {
        const big = Buffer.alloc(2000, 1);
        const rawResponse = await app.inject(raw(big));
        assertError(rawResponse, 413, 'IMAGE_TOO_LARGE');
        assert.match(rawResponse.json().error.message, /1000 bytes/);
        assertError(await app.inject({ method: 'POST', url: '/api/analyze', ...multipart([{ data: big }]) }), 413, 'IMAGE_TOO_LARGE');
        assert.equal(analyzer.calls.length, 0);
      },
      { maxUploadBytes: 1000 },
    ));

  it('415 for a body that is not an image type, or a file the decoder refuses', () =>
    withApp(async (app) => {
      assertError(await app.inject(raw('{"image":1}', 'application/json')), 415, 'UNSUPPORTED_MEDIA_TYPE');
      assertError(await app.inject(raw('hello', 'text/plain')), 415, 'UNSUPPORTED_MEDIA_TYPE');
      assertError(await app.inject(raw('FAIL:UNSUPPORTED_MEDIA_TYPE')), 415, 'UNSUPPORTED_MEDIA_TYPE');
    }));

  it('422 when the image cannot be decoded or has too many pixels', () =>
    withApp(async (app) => {
      assertError(await app.inject(raw('FAIL:IMAGE_UNDECODABLE')), 422, 'IMAGE_UNDECODABLE');
      assertError(await app.inject(raw('FAIL:IMAGE_TOO_MANY_PIXELS')), 422, 'IMAGE_TOO_MANY_PIXELS');
    }));

  it('503 SERVER_BUSY with Retry-After at once when the queue is full', () =>
    withApp(
      async (app) => {
        const started = Date.now();
        const requests = [0, 1, 2].map(() => app.inject(raw(sample(1))));
        const [first, second, third] = await Promise.all(requests);
        assert.equal(first!.statusCode, 200);
        assert.equal(second!.statusCode, 200);
        assertError(third!, 503, 'SERVER_BUSY');
        assert.match(String(third!.headers['retry-after']), /^\d+$/);
        assert.ok(Number(third!.headers['retry-after']) >= 1);
        assert.ok(Date.now() - started >= 400, 'the two admitted requests ran one after the other');
      },
      { queueLimit: 1 },
      fakeAnalyzer({ delayMs: 250, slots: 1 }),
    ));

  it('504 TIMEOUT when the analysis takes longer than the timeout, and the slot is freed', () =>
    withApp(
      async (app) => {
        const started = Date.now();
        assertError(await app.inject(raw(sample(1))), 504, 'TIMEOUT');
        assert.ok(Date.now() - started < 1500, 'answered at the timeout, not when the analysis would have ended');
        assert.deepEqual(app.analysisGate.load().queued, 0);
      },
      { requestTimeoutMs: 200 },
      fakeAnalyzer({ delayMs: 5000 }),
    ));

  it('503 NOT_READY with Retry-After while the models load; /readyz 503 then 200', async () => {
    let resolve!: (analyzer: Analyzer) => void;
    const pending = new Promise<Analyzer>((r) => (resolve = r));
    const app = await buildApp({ analyzer: pending, config: testConfig() });
    try {
      assertError(await app.inject({ method: 'GET', url: '/readyz' }), 503, 'NOT_READY');
      const busy = await app.inject(raw(sample(1)));
      assertError(busy, 503, 'NOT_READY');
      assert.ok(busy.headers['retry-after']);
      assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
      resolve(fakeAnalyzer());
      await pending;
      await new Promise((r) => setImmediate(r));
      assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
      assert.equal((await app.inject(raw(sample(1)))).statusCode, 200);
    } finally {
      await app.close();
    }
  });
});

describe('POST /api/analyze/batch', () => {
  it('returns results in order with a per-file error', () =>
    withApp(async (app) => {
      const form = multipart([
        { data: sample(1), filename: 'a.jpg' },
        { data: 'FAIL:IMAGE_UNDECODABLE', filename: 'b.jpg' },
        { data: sample(3), filename: 'c.jpg' },
      ]);
      const response = await app.inject({ method: 'POST', url: '/api/analyze/batch', ...form });
      assert.equal(response.statusCode, 200);
      const { results } = response.json();
      assert.deepEqual(results.map((r: { filename: string }) => r.filename), ['a.jpg', 'b.jpg', 'c.jpg']);
      assert.equal(results[0].result.faces.length, 1);
      assert.equal(results[1].error.code, 'IMAGE_UNDECODABLE');
      assert.equal(results[1].result, undefined);
      assert.equal(results[2].result.faces.length, 1);
    }));

  it('marks a file over the size limit and still analyses the others', () =>
    withApp(
      async (app, analyzer) => {
        const form = multipart([{ data: Buffer.alloc(3000, 1), filename: 'big.jpg' }, { data: Buffer.alloc(500, 2), filename: 'small.jpg' }]);
        const { results } = (await app.inject({ method: 'POST', url: '/api/analyze/batch', ...form })).json();
        assert.equal(results[0].error.code, 'IMAGE_TOO_LARGE');
        assert.equal(results[1].result.faces.length, 1);
        assert.equal(analyzer.calls.length, 1);
      },
      { maxUploadBytes: 1000 },
    ));

  it('413 TOO_MANY_FILES past the batch limit; 400 without files; 415 for a raw body', () =>
    withApp(
      async (app) => {
        const form = multipart([1, 2, 3].map(() => ({ data: 'x' })));
        const tooMany = await app.inject({ method: 'POST', url: '/api/analyze/batch', ...form });
        assertError(tooMany, 413, 'TOO_MANY_FILES');
        // The message names the limit and the setting behind it.
        assert.match((tooMany.json() as { error: { message: string } }).error.message, /at most 2 files \(the server's setting FACEREAD_MAX_BATCH_FILES\)/);
        assertError(await app.inject({ method: 'POST', url: '/api/analyze/batch', ...multipart([], { a: 'b' }) }), 400, 'IMAGE_MISSING');
        assertError(await app.inject(raw(sample(1), 'image/jpeg', '/api/analyze/batch')), 415, 'UNSUPPORTED_MEDIA_TYPE');
      },
      { maxBatchFiles: 2 },
    ));

  it('refuses the whole batch with 503 when it does not fit in the queue', () =>
    withApp(
      async (app) => {
        const form = multipart([1, 2, 3].map(() => ({ data: sample(1) })));
        assertError(await app.inject({ method: 'POST', url: '/api/analyze/batch', ...form }), 503, 'SERVER_BUSY');
      },
      { queueLimit: 2 },
    ));
});

describe('API key', () => {
  it('is not required when unset', () =>
    withApp(async (app) => {
      assert.equal((await app.inject(raw(sample(1)))).statusCode, 200);
    }));

  it('requires Authorization: Bearer <key> on /api/* when set', () =>
    withApp(
      async (app) => {
        const missing = await app.inject(raw(sample(1)));
        assertError(missing, 401, 'UNAUTHORIZED');
        assert.match(String(missing.headers['www-authenticate']), /^Bearer/);
        const wrong = await app.inject({ ...raw(sample(1)), headers: { 'content-type': 'image/jpeg', authorization: 'Bearer s3cret-but-wrong' } });
        assertError(wrong, 401, 'UNAUTHORIZED');
        // A missing key and a key not accepted are worded apart: the user's fix differs.
        assert.match((missing.json() as { error: { message: string } }).error.message, /An API key is required/);
        assert.match((wrong.json() as { error: { message: string } }).error.message, /The API key was not accepted/);
        const right = await app.inject({ ...raw(sample(1)), headers: { 'content-type': 'image/jpeg', authorization: 'Bearer s3cret' } });
        assert.equal(right.statusCode, 200);
        assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
        assert.equal((await app.inject({ method: 'GET', url: '/' })).statusCode, 200);
        // The docs offer the key (Authorize) on the routes that need it, and only there.
        const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
        assert.deepEqual(doc.components.securitySchemes, { bearer: { type: 'http', scheme: 'bearer', description: 'The key set in FACEREAD_API_KEY.' } });
        for (const route of ['/api/analyze', '/api/analyze/batch']) assert.deepEqual(doc.paths[route].post.security, [{ bearer: [] }], route);
        assert.deepEqual(doc.paths['/api/profiles'].get.security, [{ bearer: [] }]);
        assert.equal(doc.paths['/healthz'].get.security, undefined);
      },
      { apiKey: 's3cret' },
    ));
});

describe('cross-cutting', () => {
  it('sends security headers on every response, errors included', () =>
    withApp(async (app) => {
      for (const url of ['/', '/healthz', '/nope']) {
        const response = await app.inject({ method: 'GET', url });
        assert.equal(response.headers['x-content-type-options'], 'nosniff', url);
        assert.match(String(response.headers['content-security-policy']), /default-src 'self'/, url);
        assert.ok(response.headers['x-frame-options'], url);
      }
    }));

  it('404 NOT_FOUND in the registry shape', () =>
    withApp(async (app) => assertError(await app.inject({ method: 'GET', url: '/api/nothing' }), 404, 'NOT_FOUND')));

  it('CORS headers only for configured origins', () =>
    withApp(
      async (app) => {
        const allowed = await app.inject({ method: 'GET', url: '/healthz', headers: { origin: 'https://photos.example' } });
        assert.equal(allowed.headers['access-control-allow-origin'], 'https://photos.example');
        const other = await app.inject({ method: 'GET', url: '/healthz', headers: { origin: 'https://evil.example' } });
        assert.equal(other.headers['access-control-allow-origin'], undefined);
      },
      { corsOrigins: ['https://photos.example'] },
    ));

  it('rate limits /api/* with 429 RATE_LIMITED when configured', () =>
    withApp(
      async (app) => {
        assert.equal((await app.inject(raw(sample(1)))).statusCode, 200);
        assert.equal((await app.inject(raw(sample(1)))).statusCode, 200);
        assertError(await app.inject(raw(sample(1))), 429, 'RATE_LIMITED');
        assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
      },
      { rateLimitMax: 2 },
    ));

  it('exposes Prometheus metrics for routes, stages, queue, faces and the event loop', () =>
    withApp(async (app) => {
      await app.inject(raw(sample(1)));
      await app.inject(raw('FAIL:IMAGE_UNDECODABLE'));
      const response = await app.inject({ method: 'GET', url: '/metrics' });
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^text\/plain/);
      const text = response.body;
      assert.match(text, /faceread_http_requests_total\{route="\/api\/analyze",method="POST",status="200"\} 1/);
      assert.match(text, /faceread_http_requests_total\{route="\/api\/analyze",method="POST",status="422"\} 1/);
      // Analysis metrics carry the profile that answered (the config's default here).
      assert.match(text, /faceread_analysis_stage_seconds_count\{stage="detect",profile="default"\} 1/);
      assert.match(text, /faceread_faces_found_total\{profile="default"\} 1/);
      assert.match(text, /faceread_photo_failures_total\{code="IMAGE_UNDECODABLE",profile="default"\} 1/);
      assert.match(text, /faceread_queue_depth\{profile="default"\} 0/);
      assert.match(text, /nodejs_eventloop_lag_p99_seconds/);
      assert.match(text, /faceread_http_request_duration_seconds_bucket/);
    }));

  it('serves an OpenAPI 3 document from the route schemas and local docs', () =>
    withApp(async (app) => {
      const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
      assert.match(doc.openapi, /^3\./);
      const analyze = doc.paths['/api/analyze'].post;
      assert.ok(analyze.requestBody.content['multipart/form-data']);
      assert.ok(analyze.requestBody.content['image/*']);
      assert.ok(analyze.parameters.some((p: { name: string }) => p.name === 'minScore'));
      assert.ok(analyze.responses['413'] && analyze.responses['503'] && analyze.responses['504']);
      assert.ok(doc.paths['/api/analyze/batch'].post.requestBody);
      assert.ok(doc.components.schemas.AnalysisResult);
      assert.equal(doc.paths['/metrics'], undefined);
      const docs = await app.inject({ method: 'GET', url: '/docs/' });
      assert.equal(docs.statusCode, 200);
      assert.doesNotMatch(docs.body, /https?:\/\/(cdn|unpkg|cdnjs)/);
      const js = await app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' });
      assert.equal(js.statusCode, 200);
    }));
});
