/**
 * Attributes asked for at `batch submit`: each job carries them, the worker
 * analyses for them, the batch records every submission's (in registry
 * order), and `batch export` writes their CSV columns (as `analyze` does);
 * a batch submitted without them exports the header FaceRead always wrote.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openBatch } from '../../../src/batch/batch-queue.js';
import { getBatch } from '../../../src/batch/batch-registry.js';
import { startBatchWorker } from '../../../src/batch/batch-worker.js';
import { submitBatch } from '../../../src/batch/submit-batch.js';
import { csvColumns } from '../../../src/cli/output-formats.js';
import type { AnalysisResult, Analyzer, Attribute } from '../../../src/types.js';
import { FACEAPI_SAMPLE_DIR } from '../../helpers/faceapi-reference.js';
import { faceread } from '../../helpers/faceread-cli.js';
import { TEST_STORE_DIR } from '../../helpers/test-store.js';
import { removeBatch, startTestRedis, uniqueBatchName } from './redis-fixture.js';

const redis = await startTestRedis();
const skip = typeof redis === 'string' ? `batch tests skipped: ${redis}` : false;
after(async () => { if (typeof redis !== 'string') await redis.stop(); });

/** The command's stdout; a failure fails the test with its stderr. */
async function cli(args: string[]): Promise<string> {
  const outcome = await faceread(args, { ...process.env, FACEREAD_MODEL_DIR: TEST_STORE_DIR });
  assert.equal(outcome.code, 0, outcome.stderr);
  return outcome.stdout;
}


test('the batch records the union of its submissions\' attributes; each job is analysed for its own', { skip }, async () => {
  const url = (redis as { url: string }).url;
  const name = uniqueBatchName('attributes');
  const asked = new Map<string, readonly Attribute[] | undefined>();
  // Records what each photo (its bytes are its key) was asked for.
  const analyzer: Analyzer = {
    async analyze(input, options) {
      asked.set((input as Buffer).toString(), options?.attributes);
      return { image: { width: 1, height: 1 }, faces: [], timingsMs: { decode: 0, detect: 0, attributes: 0, total: 0 }, models: { detector: 'fake', age: null, gender: null } } satisfies AnalysisResult;
    },
    load: () => ({ queued: 0, running: 0 }),
    close: async () => {},
  };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'faceread-batch-attributes-'));
  try {
    for (const key of ['a', 'b', 'c']) await writeFile(path.join(dir, key), key);
    await submitBatch({ redisUrl: url, name, keys: ['a'], root: dir });
    const first = await openBatch(url, name, { mustExist: true });
    assert.equal((await getBatch(first.redis, name))?.attributes, undefined, 'no attributes asked: none recorded');
    await first.close();
    await submitBatch({ redisUrl: url, name, keys: ['b'], root: dir, attributes: ['smile', 'eyes'] });
    await submitBatch({ redisUrl: url, name, keys: ['c'], root: dir, attributes: ['pose'] });
    await assert.rejects(submitBatch({ redisUrl: url, name, keys: ['d'], attributes: ['hair' as Attribute] }), /Expected a list of: .* for attributes/);
    const batch = await openBatch(url, name, { mustExist: true });
    await batch.close();
    assert.deepEqual(batch.info?.attributes, ['pose', 'eyes', 'smile'], 'in registry order');
    const worker = await startBatchWorker({ redisUrl: url, batches: [name], concurrency: 1, timings: { lockDurationMs: 1000, stalledIntervalMs: 500, maxStalledCount: 1 }, analyzer, exitWhenIdle: true, pollMs: 100 });
    await worker.stopped;
    assert.deepEqual(Object.fromEntries(asked), { a: undefined, b: ['smile', 'eyes'], c: ['pose'] });
  } finally {
    await removeBatch(url, name);
    await rm(dir, { recursive: true, force: true });
  }
});

test('batch export CSV: the columns of the attributes asked for at submit, filled; without them the default header', { skip, timeout: 120_000 }, async () => {
  const url = (redis as { url: string }).url;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'faceread-batch-attributes-'));
  const withAttributes = uniqueBatchName('csv-attributes');
  const plain = uniqueBatchName('csv-plain');
  try {
    await copyFile(path.join(FACEAPI_SAMPLE_DIR, 'sample3.jpg'), path.join(dir, 'sample3.jpg'));
    await cli(['batch', 'submit', '--redis', url, '--name', withAttributes, '--root', dir, '--attributes', 'eyes,smile', dir]);
    await cli(['batch', 'submit', '--redis', url, '--name', plain, '--root', dir, dir]);
    for (const name of [withAttributes, plain]) await cli(['worker', '--redis', url, '--batch', name, '--pool-size', '1', '--exit-when-idle']);

    const csv = (await cli(['batch', 'export', withAttributes, '--redis', url, '--format', 'csv'])).trim().split('\n');
    const header = csv[0]!.split(',');
    assert.deepEqual(header, csvColumns(['eyes', 'smile']));
    assert.equal(csv.length, 1 + 3, 'a header and one row per face of sample3');
    for (const row of csv.slice(1)) {
      const cell = (column: string) => row.split(',')[header.indexOf(column)];
      assert.match(cell('eyes_open')!, /^(true|false)$/, row);
      assert.match(cell('smiling')!, /^(true|false)$/, row);
      assert.equal(cell('gender'), '', 'only what was asked for');
    }
    const plainCsv = (await cli(['batch', 'export', plain, '--redis', url, '--format', 'csv'])).split('\n');
    assert.equal(plainCsv[0], csvColumns().join(','));
  } finally {
    await removeBatch(url, withAttributes);
    await removeBatch(url, plain);
    await rm(dir, { recursive: true, force: true });
  }
});
