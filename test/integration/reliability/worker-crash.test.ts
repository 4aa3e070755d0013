/**
 * A worker thread that dies in the middle of a photo: that photo fails
 * with WORKER_CRASHED (500 over HTTP, its own code), every other photo in
 * flight gets its own right answer, and the pool replaces the thread so
 * later photos are analysed as before.
 *
 * A worker holds two photos at once (one decoding, one in onnxruntime): both are retried once on a
 * fresh worker, so only the photo that kills workers fails, after its second try.
 *
 * The worker is made to die by the test-only FACEREAD_TEST_WORKER_EXIT_WIDTH
 * (a photo exactly that wide makes it exit). Killing it from outside with
 * `terminate()` is no option: when the thread is inside onnxruntime, that
 * aborts the whole process ("terminate called after throwing Napi::Error").
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { createAnalyzer, workerThreadsOf } from '../../../src/analyzer.js';
import { buildApp } from '../../../src/server/app.js';
import type { Analyzer } from '../../../src/types.js';
import { TEST_STORE_DIR } from '../../helpers/test-store.js';
import { sample, SAMPLE_FACES, testConfig } from '../server/helpers.js';

const EXIT_WIDTH = 333;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a worker thread that dies', { timeout: 240_000 }, () => {
  let analyzer: Analyzer;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let poison: Buffer;

  before(async () => {
    process.env.FACEREAD_TEST_WORKER_EXIT_WIDTH = String(EXIT_WIDTH);
    // Kept until the end: replacement workers read it when they start.
    analyzer = await createAnalyzer({ modelDir: TEST_STORE_DIR, poolSize: 2 });
    app = await buildApp({ analyzer, config: testConfig() });
    poison = await sharp(sample(1)).resize({ width: EXIT_WIDTH }).jpeg().toBuffer();
  });
  after(async () => {
    delete process.env.FACEREAD_TEST_WORKER_EXIT_WIDTH;
    await app?.close();
    await analyzer?.close();
  });

  const waitForTwoThreads = async () => {
    for (let i = 0; i < 200 && workerThreadsOf(analyzer).length < 2; i++) await sleep(50);
    assert.equal(workerThreadsOf(analyzer).length, 2, 'the dead thread was replaced');
  };

  it('fails only the photo it held, with WORKER_CRASHED (500), and is replaced', async () => {
    const photos = [1, 2, 3, 0, 4, 5, 6, 1];
    const post = (n: number) => app.inject({ method: 'POST', url: '/api/analyze', headers: { 'content-type': 'image/jpeg' }, payload: n === 0 ? poison : sample(n) });
    const responses = await Promise.all(photos.map(post));
    responses.forEach((response, i) => {
      const n = photos[i]!;
      if (n === 0) {
        assert.equal(response.statusCode, 500);
        assert.equal(response.json().error.code, 'WORKER_CRASHED');
        assert.match(response.json().error.message, /replaced/);
      } else {
        assert.equal(response.statusCode, 200, response.body);
        assert.equal(response.json().faces.length, SAMPLE_FACES[n - 1], `sample${n} got its own answer`);
      }
    });
    await waitForTwoThreads();
    const later = await Promise.all([1, 2, 3, 4, 5, 6].map(post));
    assert.deepEqual(later.map((r) => r.json().faces.length), [...SAMPLE_FACES]);
    assert.equal(app.analysisGate.load().admitted, 0, 'nothing is left admitted');
  });

  it('the library says so too, naming the fix', async () => {
    const settled = await Promise.allSettled([sample(2), poison, sample(4)].map((bytes) => analyzer.analyze(bytes)));
    assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'rejected', 'fulfilled']);
    const failure = settled[1] as PromiseRejectedResult;
    assert.equal(failure.reason.code, 'WORKER_CRASHED');
    assert.match(failure.reason.message, /stopped; it has been replaced\. Retry/);
    await waitForTwoThreads();
  });

  it('a photo that times out mid-analysis leaves the process and its worker alive', async () => {
    const results = await Promise.allSettled(
      [5, 6, 5, 6].map((n, i) => analyzer.analyze(sample(n), {}, { signal: AbortSignal.timeout(60 + 40 * i) })),
    );
    for (const result of results) if (result.status === 'rejected') assert.equal(result.reason.code, 'TIMEOUT');
    assert.ok(results.some((r) => r.status === 'rejected'), 'some photo timed out');
    assert.equal((await analyzer.analyze(sample(1))).faces.length, 3);
    assert.equal(workerThreadsOf(analyzer).length, 2, 'no worker was terminated for a timeout');
  });
});
