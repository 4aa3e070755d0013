/**
 * A worker thread killed from outside in the middle of a photo: the photo
 * it held fails with WORKER_CRASHED (500 over HTTP, its own code), every
 * other photo in flight gets its own right answer, and the pool replaces
 * the thread so later photos are analysed as before.
 */
import assert from 'node:assert/strict';
import type { Worker } from 'node:worker_threads';
import { after, before, describe, it } from 'node:test';
import { createAnalyzer, workerThreadsOf } from '../../../src/analyzer.js';
import { buildApp } from '../../../src/server/app.js';
import type { Analyzer } from '../../../src/types.js';
import { TEST_STORE_DIR } from '../../helpers/test-store.js';
import { sample, SAMPLE_FACES, testConfig } from '../server/helpers.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A thread busy with a photo: its event loop was more than half used over the last 20 ms. */
async function busyThread(threads: readonly Worker[]): Promise<Worker> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const before = threads.map((thread) => thread.performance.eventLoopUtilization());
    await sleep(20);
    const busy = threads.find((thread, i) => thread.performance.eventLoopUtilization(before[i]).utilization > 0.5);
    if (busy) return busy;
  }
  throw new Error('no worker thread became busy');
}

interface Answer {
  status: number;
  code?: string;
  faces?: number;
  sample: number;
}

describe('a worker thread that dies', { timeout: 240_000 }, () => {
  let analyzer: Analyzer;
  let app: Awaited<ReturnType<typeof buildApp>>;

  before(async () => {
    analyzer = await createAnalyzer({ modelDir: TEST_STORE_DIR, poolSize: 2 });
    app = await buildApp({ analyzer, config: testConfig() });
  });
  after(async () => {
    await app?.close();
    await analyzer?.close();
  });

  const post = async (n: number): Promise<Answer> => {
    const response = await app.inject({ method: 'POST', url: '/api/analyze', headers: { 'content-type': 'image/jpeg' }, payload: sample(n) });
    const body = response.json() as { faces?: unknown[]; error?: { code: string; message: string } };
    return { status: response.statusCode, code: body.error?.code, faces: body.faces?.length, sample: n };
  };

  it('fails only the photo it held, with WORKER_CRASHED, and is replaced', async () => {
    const original = workerThreadsOf(analyzer);
    assert.equal(original.length, 2);
    let answers: Answer[] = [];
    // A thread may finish its photo between the check and the kill: try again until one dies holding a photo.
    for (let round = 0; round < 5 && !answers.some((a) => a.code === 'WORKER_CRASHED'); round++) {
      const photos = [1, 2, 3, 4, 5, 6, 1, 2];
      const pending = Promise.all(photos.map(post));
      const victim = await busyThread(workerThreadsOf(analyzer));
      await victim.terminate();
      answers = await pending;
      const crashed = answers.filter((a) => a.code === 'WORKER_CRASHED');
      assert.ok(crashed.length <= 1, `one thread held one photo: ${JSON.stringify(answers)}`);
      for (const answer of answers.filter((a) => a.code !== 'WORKER_CRASHED')) {
        assert.equal(answer.status, 200, JSON.stringify(answer));
        assert.equal(answer.faces, SAMPLE_FACES[answer.sample - 1], `sample${answer.sample} got its own answer`);
      }
    }
    const crashed = answers.find((a) => a.code === 'WORKER_CRASHED');
    assert.ok(crashed, 'a thread died holding a photo');
    assert.equal(crashed.status, 500);

    // Replaced: two live threads again, and photos analysed as before.
    for (let i = 0; i < 200 && workerThreadsOf(analyzer).length < 2; i++) await sleep(50);
    assert.equal(workerThreadsOf(analyzer).length, 2);
    const later = await Promise.all([1, 2, 3, 4, 5, 6].map(post));
    assert.deepEqual(later.map((a) => a.faces), [...SAMPLE_FACES]);
    assert.equal(app.analysisGate.load().admitted, 0, 'nothing is left admitted');
  });

  it('the library says so too, naming the fix', async () => {
    const pending = Promise.allSettled([1, 2, 3, 4].map((n) => analyzer.analyze(sample(n))));
    const victim = await busyThread(workerThreadsOf(analyzer));
    await victim.terminate();
    const settled = await pending;
    const rejected = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    assert.ok(rejected.length <= 1);
    for (const failure of rejected) {
      assert.equal(failure.reason.code, 'WORKER_CRASHED');
      assert.match(failure.reason.message, /stopped; it has been replaced\. Retry/);
    }
  });
});
