/**
 * A worker whose Redis has gone away still stops on SIGTERM within its
 * --stop-timeout, exiting 1 with a message (it used to hang forever in
 * BullMQ's close, waiting for a Redis that was not coming back).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Queue } from 'bullmq';
import { QUEUE_PREFIX } from '../../../src/batch/batch-names.js';
import { REPO_ROOT } from '../../helpers/repo-root.js';
import { TEST_STORE_DIR } from '../../helpers/test-store.js';
import { startTestRedis, uniqueBatchName } from './redis-fixture.js';

const BIN = path.join(REPO_ROOT, 'bin', 'faceread.js');
const SAMPLES = path.join(REPO_ROOT, 'node_modules', '@vladmandic', 'face-api', 'demo');
const ENV = { ...process.env, FACEREAD_MODEL_DIR: TEST_STORE_DIR };
const redis = await startTestRedis({ own: true });
const skip = typeof redis === 'string' ? `worker stop test skipped: ${redis}` : false;

test('SIGTERM with Redis gone: the worker exits 1 within --stop-timeout, saying why', { skip, timeout: 90_000 }, async () => {
  const { url, stop } = redis as { url: string; stop(): Promise<void> };
  const name = uniqueBatchName('gone');
  // The six sample photos (the demo folder also holds screenshots).
  await promisify(execFile)(process.execPath, [BIN, 'batch', 'submit', '--redis', url, '--name', name, path.join(SAMPLES, 'sample*.jpg')], { env: ENV });
  const worker = spawn(process.execPath, [BIN, 'worker', '--redis', url, '--pool-size', '1', '--stop-timeout', '2000'], { env: ENV, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  worker.stderr!.on('data', (chunk: Buffer) => { log += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
  let stopped = false;
  // Closed before Redis stops, and in any case at the end: an open queue would reconnect forever.
  const queue = new Queue(name, { connection: { url }, prefix: QUEUE_PREFIX });
  try {
    // The six sample photos done, as in the report; then Redis goes away for a few seconds.
    for (let i = 0; i < 600 && (await queue.getJobCounts('completed')).completed < 6; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal((await queue.getJobCounts('completed')).completed, 6, log);
    await queue.close();
    await stop();
    stopped = true;
    await new Promise((r) => setTimeout(r, 3000));

    const signalled = Date.now();
    worker.kill('SIGTERM');
    const timeout = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 10_000));
    const code = await Promise.race([exited, timeout]);
    assert.notEqual(code, 'hung', `still running 10 s after SIGTERM:\n${log.slice(-2000)}`);
    assert.ok(Date.now() - signalled < 2000 + 3000, `stopped ${Date.now() - signalled} ms after SIGTERM`);
    // A clean stop is fine too; one that gave up says so and exits 1.
    if (code !== 0) {
      assert.equal(code, 1);
      assert.match(log, /not stopped within 2000 ms \(is Redis reachable\?\); exiting with the photos in flight abandoned/);
    }
  } finally {
    if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    if (!stopped) {
      await queue.close();
      await stop();
    } else await queue.disconnect();
  }
});
