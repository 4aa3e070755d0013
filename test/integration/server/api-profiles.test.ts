/**
 * Choosing the model profile per request: a server offering `default` and
 * `fast` (real analyzers, one worker each, models from the test store)
 * answers `?models=fast` with the Tiny Face Detector and the default with
 * SSD MobileNet, refuses a profile it does not offer with 400 naming those
 * it does, lists them at `GET /api/profiles`, documents them in OpenAPI and
 * labels its metrics by profile. Then: `/readyz` waits for every profile,
 * and `serve` refuses an unknown profile before listening.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { describeProfiles, loadAnalyzerSet, type AnalyzerSet } from '../../../src/server/analyzer-set.js';
import { buildApp } from '../../../src/server/app.js';
import { serve } from '../../../src/server/serve.js';
import type { AnalysisResult } from '../../../src/types.js';
import { TEST_STORE_DIR } from '../../helpers/test-store.js';
import { fakeAnalyzer, multipart, sample, testConfig } from './helpers.js';

const SSD = 'faceapi-ssd-mobilenetv1';
const TINY = 'faceapi-tiny-face-detector';

describe('two real profiles: default and fast', { timeout: 120_000 }, () => {
  let analyzers: AnalyzerSet;
  let app: FastifyInstance;

  before(async () => {
    const config = testConfig({ profiles: ['default', 'fast'], modelDir: TEST_STORE_DIR, poolSize: 1, extraPoolSize: 1 });
    analyzers = loadAnalyzerSet(await describeProfiles(['default', 'fast'], TEST_STORE_DIR), config, () => {});
    app = await buildApp({ profiles: analyzers.profiles, config });
    await analyzers.ready;
  });
  after(async () => {
    await app?.close();
    await analyzers?.close();
  });

  const analyze = (query: string, url = '/api/analyze') => app.inject({ method: 'POST', url: `${url}${query}`, headers: { 'content-type': 'image/jpeg' }, payload: sample(1) });

  it('answers ?models=fast with the Tiny Face Detector and no choice with SSD MobileNet', async () => {
    const fast = await analyze('?models=fast');
    assert.equal(fast.statusCode, 200, fast.body);
    const fastResult = fast.json() as AnalysisResult;
    assert.equal(fastResult.models.detector, TINY);
    assert.ok(fastResult.faces.length > 0);
    for (const query of ['', '?models=default']) {
      const result = (await analyze(query)).json() as AnalysisResult;
      assert.equal(result.models.detector, SSD, query);
      assert.equal(result.faces.length, 3, query);
    }
  });

  it('uses the chosen profile for a batch too', async () => {
    const form = multipart([{ data: sample(1) }, { data: sample(4) }]);
    const response = await app.inject({ method: 'POST', url: '/api/analyze/batch?models=fast', ...form });
    assert.equal(response.statusCode, 200, response.body);
    const { results } = response.json() as { results: { result: AnalysisResult }[] };
    assert.deepEqual(results.map((entry) => entry.result.models.detector), [TINY, TINY]);
  });

  it('refuses a profile it does not offer with 400 INVALID_OPTION naming the offered ones', async () => {
    for (const url of ['/api/analyze', '/api/analyze/batch']) {
      const response = await analyze('?models=accurate', url);
      assert.equal(response.statusCode, 400, url);
      assert.deepEqual(response.json(), {
        error: { code: 'INVALID_OPTION', message: "Expected one of: default, fast for models but received 'accurate' of type string" },
      });
    }
  });

  it('lists the offered profiles with their models at GET /api/profiles, and /readyz is 200', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/profiles' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), {
      default: 'default',
      profiles: [
        { name: 'default', models: { detector: SSD, detectors: [SSD, 'human-blazeface-back'], landmarks: 'faceapi-landmarks-68', attributes: ['faceapi-age-gender'], answers: { age: ['faceapi-age-gender'], gender: ['faceapi-age-gender'] } }, ready: true },
        { name: 'fast', models: { detector: TINY, detectors: [TINY], landmarks: 'faceapi-landmarks-68', attributes: ['faceapi-age-gender'], answers: { age: ['faceapi-age-gender'], gender: ['faceapi-age-gender'] } }, ready: true },
      ],
    });
    assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
  });

  it('documents models= with the offered profiles and the profiles route in OpenAPI', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const path of ['/api/analyze', '/api/analyze/batch']) {
      const models = doc.paths[path].post.parameters.find((parameter: { name: string }) => parameter.name === 'models');
      assert.ok(models, path);
      assert.equal(models.in, 'query');
      assert.deepEqual(models.schema.enum, ['default', 'fast']);
      assert.equal(models.schema.default, 'default');
    }
    assert.ok(doc.paths['/api/profiles'].get.responses['200']);
  });

  it('labels analysis metrics with the profile that answered', async () => {
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(text, /faceread_photos_analysed_total\{profile="fast"\} [1-9]/);
    assert.match(text, /faceread_photos_analysed_total\{profile="default"\} [1-9]/);
    assert.match(text, /faceread_queue_depth\{profile="fast"\} 0/);
  });
});

describe('readiness with several profiles', () => {
  it('is 503 until every profile is loaded, and a loaded profile already answers', async () => {
    let finish!: (analyzer: ReturnType<typeof fakeAnalyzer>) => void;
    const loading = new Promise<ReturnType<typeof fakeAnalyzer>>((resolve) => (finish = resolve));
    const models = { detector: 'fake', detectors: ['fake'], attributes: ['fake'], answers: { age: ['fake'], gender: ['fake'] } };
    const app = await buildApp({
      profiles: [
        { name: 'default', models, analyzer: fakeAnalyzer() },
        { name: 'fast', models, analyzer: loading },
      ],
      config: testConfig(),
    });
    try {
      assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 503);
      const request = (query: string) => app.inject({ method: 'POST', url: `/api/analyze${query}`, headers: { 'content-type': 'image/jpeg' }, payload: sample(1) });
      assert.equal((await request('')).statusCode, 200);
      const notYet = await request('?models=fast');
      assert.equal(notYet.statusCode, 503);
      assert.equal(notYet.json().error.code, 'NOT_READY');
      finish(fakeAnalyzer());
      await loading;
      assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
      assert.equal((await request('?models=fast')).statusCode, 200);
    } finally {
      await app.close();
    }
  });
});

describe('serve', () => {
  it('refuses an unknown profile in FACEREAD_PROFILES before listening, naming it and the known ones', async () => {
    const env = { FACEREAD_PROFILES: 'default,turbo', FACEREAD_MODEL_DIR: TEST_STORE_DIR, PORT: '0', FACEREAD_LOG_LEVEL: 'silent' };
    await assert.rejects(serve({ env, handleSignals: false }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'INVALID_OPTION');
      assert.match(error.message, /Unknown model profile "turbo".*Should be one of: default, fast, accurate/);
      return true;
    });
  });
});
