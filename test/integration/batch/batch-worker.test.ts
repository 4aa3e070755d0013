/**
 * The batch library on a real Redis with a stand-in analyzer (no models):
 * submission is idempotent and grows a batch by new keys only, a transient
 * failure is retried and then succeeds, status and export agree, and close()
 * lets the photo in flight finish.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { exportOutcomes } from '../../../src/batch/batch-export.js';
import { openBatch } from '../../../src/batch/batch-queue.js';
import { listBatches } from '../../../src/batch/batch-registry.js';
import { readBatchStatus } from '../../../src/batch/batch-status.js';
import { startBatchWorker } from '../../../src/batch/batch-worker.js';
import { submitBatch } from '../../../src/batch/submit-batch.js';
import { FaceReadError } from '../../../src/errors.js';
import type { AnalysisResult, Analyzer } from '../../../src/types.js';
import { removeBatch, startTestRedis, uniqueBatchName } from './redis-fixture.js';

const redis = await startTestRedis();
const skip = typeof redis === 'string' ? `batch tests skipped: ${redis}` : false;
after(async () => { if (typeof redis !== 'string') await redis.stop(); });
const TIMINGS = { lockDurationMs: 1000, stalledIntervalMs: 500, maxStalledCount: 1 };

function result(width: number): AnalysisResult {
  return { image: { width, height: 1 }, faces: [], timingsMs: { decode: 0, detect: 0, attributes: 0, total: 0 }, models: { detector: 'fake', age: null, gender: null } };
}

/** An analyzer whose answer is the photo's byte length; 'flaky' crashes on its first try. */
function fakeAnalyzer(delayMs: number): Analyzer & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async analyze(input) {
      const text = (input as Buffer).toString();
      calls.push(text);
      await new Promise((r) => setTimeout(r, delayMs));
      if (text === 'broken') throw new FaceReadError('IMAGE_UNDECODABLE', 'not an image');
      if (text === 'flaky' && calls.filter((c) => c === 'flaky').length === 1) throw new FaceReadError('WORKER_CRASHED', 'worker stopped');
      return result(text.length);
    },
    load: () => ({ queued: 0, running: 0 }),
    close: async () => {},
  };
}

const cleanup = removeBatch;

test('submit: idempotent, grows by new keys only, registers the batch with its root', { skip }, async () => {
  const url = (redis as { url: string }).url;
  const name = uniqueBatchName('submit');
  try {
    assert.deepEqual(await submitBatch({ redisUrl: url, name, keys: ['a', 'b', 'b'], root: '/photos' }), { name, submitted: 2, added: 2, total: 2 });
    assert.deepEqual(await submitBatch({ redisUrl: url, name, keys: ['b', 'a'] }), { name, submitted: 2, added: 0, total: 2 });
    assert.deepEqual(await submitBatch({ redisUrl: url, name, keys: ['a', 'c'], root: '/elsewhere' }), { name, submitted: 2, added: 1, total: 3 });
    const batch = await openBatch(url, name, { mustExist: true });
    const info = (await listBatches(batch.redis)).find((b) => b.name === name);
    await batch.close();
    assert.equal(info?.root, '/photos', 'the first submission fixes the root');
    await assert.rejects(submitBatch({ redisUrl: url, name, keys: ['a'], attempts: 0 }), /Expected an integer between 1 and 100 for attempts but received 0/);
  } finally {
    await cleanup(url, name);
  }
});

test('worker: transient failure retried then done, input error failed at once, close waits for the photo in flight', { skip, timeout: 30_000 }, async () => {
  const url = (redis as { url: string }).url;
  const name = uniqueBatchName('worker');
  const root = await mkdtemp(path.join(os.tmpdir(), 'faceread-worker-'));
  for (const [file, text] of [['a.jpg', 'aaaa'], ['flaky.jpg', 'flaky'], ['broken.jpg', 'broken']]) await writeFile(path.join(root, file), text);
  try {
    await submitBatch({ redisUrl: url, name, keys: ['a.jpg', 'flaky.jpg', 'broken.jpg'], root, attempts: 3, backoffMs: 50 });
    const analyzer = fakeAnalyzer(20);
    const worker = await startBatchWorker({ redisUrl: url, batches: [name], concurrency: 2, timings: TIMINGS, analyzer, exitWhenIdle: true, pollMs: 100 });
    const counts = await worker.stopped;
    assert.deepEqual(counts, { done: 2, failed: 1, retried: 1 });
    assert.equal(analyzer.calls.filter((c) => c === 'broken').length, 1, 'an input error is not retried');

    const batch = await openBatch(url, name, { mustExist: true });
    const status = await readBatchStatus(batch);
    assert.deepEqual([status.total, status.done, status.failed, status.finished], [3, 2, 1, true]);
    const outcomes = [];
    for await (const outcome of exportOutcomes(batch.queue)) outcomes.push(outcome);
    await batch.close();
    const byKey = Object.fromEntries(outcomes.map((o) => [o.key, 'result' in o ? o.result.image.width : o.error.code]));
    assert.deepEqual(byKey, { 'a.jpg': 4, 'flaky.jpg': 5, 'broken.jpg': 'IMAGE_UNDECODABLE' });

    // A slow photo in flight when close() is called still finishes.
    await submitBatch({ redisUrl: url, name, keys: ['slow.jpg'], root });
    await writeFile(path.join(root, 'slow.jpg'), 'slow-photo');
    const slow = fakeAnalyzer(400);
    const second = await startBatchWorker({ redisUrl: url, batches: [name], concurrency: 1, timings: TIMINGS, analyzer: slow, pollMs: 100 });
    while (slow.calls.length === 0) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(await second.close(), { done: 1, failed: 0, retried: 0 });
  } finally {
    await cleanup(url, name);
    await rm(root, { recursive: true, force: true });
  }
});

test('worker without --batch: picks up a batch submitted after it started, drops it once removed', { skip, timeout: 30_000 }, async () => {
  const url = (redis as { url: string }).url;
  const name = uniqueBatchName('discover');
  const root = await mkdtemp(path.join(os.tmpdir(), 'faceread-discover-'));
  await writeFile(path.join(root, 'a.jpg'), 'abc');
  const logs: string[] = [];
  const worker = await startBatchWorker({ redisUrl: url, concurrency: 1, timings: TIMINGS, analyzer: fakeAnalyzer(1), pollMs: 100, log: (m) => logs.push(m) });
  try {
    await submitBatch({ redisUrl: url, name, keys: ['a.jpg'], root });
    while (worker.counts().done < 1) await new Promise((r) => setTimeout(r, 20));
    assert.ok(logs.some((l) => l.includes(`serving batch ${name} (root ${root})`)), logs.join('\n'));
    await cleanup(url, name);
    while (!logs.some((l) => l.includes(`batch ${name} was removed`))) await new Promise((r) => setTimeout(r, 20));
  } finally {
    await worker.close();
    await rm(root, { recursive: true, force: true });
  }
});
