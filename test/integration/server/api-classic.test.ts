/**
 * `POST /api/analyze` in the classic app's shapes, per request
 * (`?format=classic`) and per server (FACEREAD_API_COMPAT=classic): the
 * answer, the two classic upload errors, other errors as strings in the
 * request's language with FaceRead's code in a header, the statuses, the
 * OpenAPI document, and (with the real analyzer) that the classic answer is
 * the projection of FaceRead's own answer for the same photo.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createAnalyzer } from '../../../src/analyzer.js';
import { buildApp } from '../../../src/server/app.js';
import { loadServerConfig, type ServerConfig } from '../../../src/server/config.js';
import type { AnalysisResult, Analyzer } from '../../../src/types.js';
import { fakeAnalyzer, multipart, sample, testConfig } from './helpers.js';

async function withApp(test: (app: FastifyInstance) => Promise<void>, overrides: Partial<ServerConfig> = {}): Promise<void> {
  const app = await buildApp({ analyzer: fakeAnalyzer(), config: testConfig(overrides) });
  try {
    await test(app);
  } finally {
    await app.close();
  }
}

const post = (url: string, form: { payload: Buffer; headers: Record<string, string> }, headers: Record<string, string> = {}) => ({
  method: 'POST' as const,
  url,
  payload: form.payload,
  headers: { ...form.headers, ...headers },
});

function assertClassicError(response: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number, code: string, text: string | RegExp): void {
  assert.equal(response.statusCode, status, JSON.stringify(response.json()));
  const body = response.json() as Record<string, unknown>;
  assert.deepEqual(Object.keys(body), ['error']);
  assert.equal(typeof body.error, 'string', 'a string, not an object (a classic page shows it as it is)');
  if (typeof text === 'string') assert.equal(body.error, text);
  else assert.match(String(body.error), text);
  assert.equal(response.headers['x-faceread-error-code'], code);
}

describe('the classic answers', () => {
  it('answers ?format=classic with exactly the classic shape', () =>
    withApp(async (app) => {
      const response = await app.inject(post('/api/analyze?format=classic', multipart([{ data: sample(1) }])));
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^application\/json/);
      assert.equal(response.body, '{"processing_time":"0.01s","results":[{"age":"25-32","bbox":[10,10,30,40],"gender":"Female"}]}\n');
    }));

  it('answers classically by default with FACEREAD_API_COMPAT=classic, and in full with ?format=faceread', async () => {
    const config = loadServerConfig({ env: { FACEREAD_API_COMPAT: 'classic', FACEREAD_LOG_LEVEL: 'silent' }, overrides: { port: 0 } });
    assert.equal(config.apiCompat, 'classic');
    const app = await buildApp({ analyzer: fakeAnalyzer(), config });
    try {
      const classic = await app.inject(post('/api/analyze', multipart([{ data: sample(1) }])));
      assert.deepEqual(Object.keys(classic.json()), ['processing_time', 'results']);
      const full = await app.inject(post('/api/analyze?format=faceread', multipart([{ data: sample(1) }])));
      assert.equal(full.json().faces[0].gender.label, 'female');
      // The batch route and the other routes keep FaceRead's shapes.
      const batch = await app.inject(post('/api/analyze/batch', multipart([{ filename: '', data: '' }])));
      assert.equal(batch.json().error.code, 'IMAGE_MISSING');
    } finally {
      await app.close();
    }
  });

  it('refuses an unknown FACEREAD_API_COMPAT naming the allowed values', () => {
    assert.throws(() => loadServerConfig({ env: { FACEREAD_API_COMPAT: 'flask' } }), /Expected one of: faceread, classic for apiCompat \(FACEREAD_API_COMPAT\) but received 'flask'/);
  });

  it("answers the classic app's two upload checks with its Chinese texts and 400", () =>
    withApp(
      async (app) => {
        // A form sent with nothing chosen: a file part with an empty file name.
        assertClassicError(await app.inject(post('/api/analyze', multipart([{ filename: '', data: '' }]))), 400, 'IMAGE_MISSING', '没有选择文件');
        // No file field at all (a page appending an undefined file sends the text "undefined").
        const noFile = await app.inject(post('/api/analyze', multipart([], { image: 'undefined' })));
        assertClassicError(noFile, 400, 'IMAGE_MISSING', '没有上传图片');
        assert.equal(noFile.body, '{"error":"\\u6ca1\\u6709\\u4e0a\\u4f20\\u56fe\\u7247"}\n', "as Flask's jsonify writes it");
        assertClassicError(await app.inject({ method: 'POST', url: '/api/analyze', headers: { 'content-type': 'image/jpeg' }, payload: '' }), 400, 'IMAGE_MISSING', '没有上传图片');
        assertClassicError(await app.inject(post('/api/analyze', multipart([{ filename: 'a.jpg', data: '' }]))), 400, 'IMAGE_MISSING', '没有上传图片');
      },
      { apiCompat: 'classic' },
    ));

  it("answers other errors as FaceRead's message, in Chinese when the request prefers it, with the classic statuses", () =>
    withApp(
      async (app) => {
        const broken = multipart([{ data: 'FAIL:IMAGE_UNDECODABLE' }]);
        assertClassicError(await app.inject(post('/api/analyze', broken)), 500, 'IMAGE_UNDECODABLE', 'fake failure IMAGE_UNDECODABLE');
        assertClassicError(await app.inject(post('/api/analyze', broken, { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' })), 500, 'IMAGE_UNDECODABLE', '图片已损坏或不完整，无法读取。');
        assertClassicError(await app.inject(post('/api/analyze', broken, { 'accept-language': 'en-US,zh;q=0.5' })), 500, 'IMAGE_UNDECODABLE', 'fake failure IMAGE_UNDECODABLE');
        assertClassicError(await app.inject(post('/api/analyze?minScore=7', multipart([{ data: sample(1) }]))), 400, 'INVALID_OPTION', /Invalid query option minScore/);
        assertClassicError(await app.inject(post('/api/analyze?format=xml', multipart([{ data: sample(1) }]))), 400, 'INVALID_OPTION', /Invalid query option format: must be equal to one of the allowed values/);
        const tooLarge = await app.inject(post('/api/analyze', multipart([{ data: Buffer.alloc(2048, 1) }])));
        assertClassicError(tooLarge, 413, 'IMAGE_TOO_LARGE', /larger than the limit of 1024 bytes/);
        const crashed = multipart([{ data: 'FAIL:WORKER_CRASHED' }]);
        assertClassicError(await app.inject(post('/api/analyze', crashed)), 500, 'WORKER_CRASHED', 'fake failure WORKER_CRASHED');
      },
      { apiCompat: 'classic', maxUploadBytes: 1024 },
    ));

  it('keeps 401 for a missing API key, in the classic shape', () =>
    withApp(
      async (app) => {
        assertClassicError(await app.inject(post('/api/analyze?format=classic', multipart([{ data: sample(1) }]))), 401, 'UNAUTHORIZED', /API key/);
        const full = await app.inject(post('/api/analyze', multipart([{ data: sample(1) }])));
        assert.equal(full.json().error.code, 'UNAUTHORIZED', 'without format=classic: the registry shape');
        assert.equal(full.headers['x-faceread-error-code'], undefined);
      },
      { apiKey: 's3cret' },
    ));

  it('documents the classic shapes as second schemas in OpenAPI, and the format option', () =>
    withApp(async (app) => {
      const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
      const analyze = doc.paths['/api/analyze'].post;
      assert.deepEqual(analyze.responses['200'].content['application/json'].schema.oneOf, [
        { $ref: '#/components/schemas/AnalysisResult' },
        { $ref: '#/components/schemas/ClassicAnalysisResult' },
      ]);
      assert.ok(analyze.responses['200'].content['image/png'], 'the annotated photo stays documented');
      for (const status of ['400', '413', '500']) {
        assert.deepEqual(analyze.responses[status].content['application/json'].schema.oneOf.map((s: { $ref: string }) => s.$ref), [
          '#/components/schemas/ErrorResponse',
          '#/components/schemas/ClassicErrorResponse',
        ]);
        assert.ok(analyze.responses[status].headers['X-FaceRead-Error-Code']);
      }
      const format = analyze.parameters.find((p: { name: string }) => p.name === 'format');
      assert.deepEqual(format.schema.enum, ['faceread', 'classic']);
      assert.deepEqual(doc.components.schemas.ClassicAnalysisResult.required, ['results', 'processing_time']);
      assert.equal(doc.paths['/api/analyze/batch'].post.responses['200'].$ref ?? doc.paths['/api/analyze/batch'].post.responses['200'].content['application/json'].schema.$ref, '#/components/schemas/BatchResponse');
    }));
});

describe('the classic answer with the real analyzer', { timeout: 120_000 }, () => {
  let analyzer: Analyzer;
  let app: FastifyInstance;
  before(async () => {
    analyzer = await createAnalyzer();
    app = await buildApp({ analyzer, config: testConfig({ apiCompat: 'classic' }) });
  });
  after(async () => {
    await app?.close();
    await analyzer?.close();
  });

  it("is FaceRead's own answer for the same photo, projected", async () => {
    const full = (await app.inject(post('/api/analyze?format=faceread', multipart([{ data: sample(2) }])))).json() as AnalysisResult;
    const classic = (await app.inject(post('/api/analyze', multipart([{ data: sample(2) }])))).json();
    assert.ok(full.faces.length >= 2, `sample2 has faces (${full.faces.length})`);
    assert.equal(classic.results.length, full.faces.length);
    full.faces.forEach((face, i) => {
      const { bbox, gender, age } = classic.results[i];
      assert.ok(bbox.every(Number.isInteger), JSON.stringify(bbox));
      assert.ok(Math.abs(bbox[0] - face.box.x) < 1 && Math.abs(bbox[1] - face.box.y) < 1, `${bbox} vs ${JSON.stringify(face.box)}`);
      assert.ok(Math.abs(bbox[0] + bbox[2] - (face.box.x + face.box.width)) < 1 && Math.abs(bbox[1] + bbox[3] - (face.box.y + face.box.height)) < 1);
      assert.equal(gender, face.gender!.label === 'male' ? 'Male' : 'Female');
      assert.equal(age, face.age!.bucket, 'a years model: the bucket of the years');
    });
    assert.match(classic.processing_time, /^\d+\.\d{2}s$/);
  });
});
