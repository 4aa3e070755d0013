/**
 * End to end on a real Redis: submit a folder of the sample photos plus
 * broken files (twice: the second adds nothing), run two worker processes,
 * SIGKILL one while it holds a photo, and check that the export holds
 * exactly one result or one failure (with its reason) per photo.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Queue } from 'bullmq';
import sharp from 'sharp';
import { QUEUE_PREFIX } from '../../../src/batch/batch-names.js';
import { REPO_ROOT } from '../../helpers/repo-root.js';
import { TEST_STORE_DIR } from '../../helpers/test-store.js';
import { startTestRedis, uniqueBatchName } from './redis-fixture.js';

const run = promisify(execFile);
const BIN = path.join(REPO_ROOT, 'bin', 'faceread.js');
const SAMPLES = path.join(REPO_ROOT, 'node_modules', '@vladmandic', 'face-api', 'demo');
const ENV = { ...process.env, FACEREAD_MODEL_DIR: TEST_STORE_DIR };
const redis = await startTestRedis();
const skip = typeof redis === 'string' ? `batch tests skipped: ${redis}` : false;
after(async () => { if (typeof redis !== 'string') await redis.stop(); });

async function faceread(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: ENV, maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function startWorker(url: string, batch: string): { child: ChildProcess; exited: Promise<number | null>; log: () => string } {
  const args = [BIN, 'worker', '--redis', url, '--batch', batch, '--pool-size', '1', '--concurrency', '1',
    '--lock-duration', '1500', '--stalled-interval', '500', '--exit-when-idle'];
  const child = spawn(process.execPath, args, { env: ENV, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => { log += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, log: () => log };
}

async function makePhotoFolder(): Promise<{ dir: string; list: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'faceread-batch-'));
  for (let i = 1; i <= 6; i++) await copyFile(path.join(SAMPLES, `sample${i}.jpg`), path.join(dir, `sample${i}.jpg`));
  // Large enough to take a few hundred ms: the worker killed while holding it is surely mid-photo.
  await sharp(path.join(SAMPLES, 'sample1.jpg')).resize({ width: 5000 }).jpeg().toFile(path.join(dir, 'big.jpg'));
  // A photo without a face: one CSV row all the same (faces 0).
  await sharp({ create: { width: 64, height: 48, channels: 3, background: '#888' } }).jpeg().toFile(path.join(dir, 'blank.jpg'));
  const jpeg = await readFile(path.join(SAMPLES, 'sample1.jpg'));
  await writeFile(path.join(dir, 'truncated.jpg'), jpeg.subarray(0, 3000));
  await writeFile(path.join(dir, 'text.jpg'), 'not an image at all');
  await writeFile(path.join(dir, 'empty.jpg'), '');
  // Listed but absent: NOT_FOUND is retried (another machine may see the file), then failed.
  const list = path.join(dir, 'more.txt');
  await writeFile(list, '# extra keys\ngone.jpg\n');
  return { dir, list };
}

/** CSV records (a quoted cell may hold line breaks: error messages do). */
function csvRecords(text: string): string[] {
  const records: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (ch === '\n' && !quoted) {
      records.push(current);
      current = '';
    } else current += ch;
  }
  if (current) records.push(current);
  return records;
}

/** Polls until the worker named `name` holds the photo `key`, and returns that job's id. */
async function activeJobOf(queue: Queue, name: string, key: string, timeoutMs: number): Promise<string> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const held = (await queue.getJobs(['active'])).find((job) => job.processedBy === name && job.data.key === key);
    if (held?.id) return held.id;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`worker ${name} did not take ${key} within ${timeoutMs} ms`);
}

test('submit twice, two workers, one SIGKILLed mid-photo: one outcome per photo, each with its reason', { skip, timeout: 90_000 }, async () => {
  const url = (redis as { url: string }).url;
  const name = uniqueBatchName('e2e');
  const { dir, list } = await makePhotoFolder();
  const submitArgs = ['batch', 'submit', '--redis', url, '--name', name, '--root', dir, '--list', list, '--attempts', '2', '--backoff', '200', '--json', dir];
  const first = await faceread(submitArgs);
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(JSON.parse(first.stdout), { name, submitted: 12, added: 12, total: 12 });
  const again = await faceread(submitArgs);
  assert.deepEqual(JSON.parse(again.stdout), { name, submitted: 12, added: 0, total: 12 }, 'the same set twice adds nothing');

  const queue = new Queue(name, { connection: { url }, prefix: QUEUE_PREFIX });
  try {
    // The victim works alone until it holds the big photo (so that it is killed mid-photo,
    // not between two quick ones); only then does the survivor start.
    const victim = startWorker(url, name);
    const heldId = await activeJobOf(queue, `${os.hostname()}:${victim.child.pid}`, 'big.jpg', 60_000);
    const survivor = startWorker(url, name);
    victim.child.kill('SIGKILL');
    assert.equal(await victim.exited, null, 'killed by the signal, not exited');
    const stateAfterKill = await (await queue.getJob(heldId))!.getState();
    assert.equal(await survivor.exited, 0, survivor.log());
    assert.match(survivor.log(), /left by a stopped worker; it is queued again/);

    // The photo the victim held was taken again and finished once, by the survivor.
    const held = (await queue.getJob(heldId))!;
    assert.equal(stateAfterKill, 'active', 'the victim was killed while it held the photo');
    assert.ok(['completed', 'failed'].includes(await held.getState()));
    assert.equal(held.stalledCounter, 1);
    assert.equal(held.processedBy, `${os.hostname()}:${survivor.child.pid}`);

    const exported = await faceread(['batch', 'export', name, '--redis', url, '--format', 'ndjson']);
    assert.equal(exported.code, 0, exported.stderr);
    const lines = exported.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const byKey = new Map<string, { faces?: unknown[]; error?: { code: string; message: string } }>();
    for (const line of lines) {
      assert.ok(!byKey.has(line.file), `${line.file} exported twice`);
      byKey.set(line.file, line);
    }
    const keys = [...byKey.keys()].sort();
    assert.deepEqual(keys, ['big.jpg', 'blank.jpg', 'empty.jpg', 'gone.jpg', 'sample1.jpg', 'sample2.jpg', 'sample3.jpg', 'sample4.jpg', 'sample5.jpg', 'sample6.jpg', 'text.jpg', 'truncated.jpg']);
    for (const key of ['big.jpg', 'sample1.jpg', 'sample2.jpg', 'sample3.jpg', 'sample4.jpg', 'sample5.jpg', 'sample6.jpg']) assert.ok((byKey.get(key)!.faces?.length ?? 0) >= 1, `${key} has faces`);
    assert.deepEqual(byKey.get('blank.jpg')!.faces, []);
    assert.equal(byKey.get('truncated.jpg')!.error!.code, 'IMAGE_UNDECODABLE');
    assert.equal(byKey.get('empty.jpg')!.error!.code, 'IMAGE_UNDECODABLE');
    assert.equal(byKey.get('text.jpg')!.error!.code, 'UNSUPPORTED_MEDIA_TYPE');
    assert.match(byKey.get('gone.jpg')!.error!.message, /no such file/);

    // Input errors fail at once; a missing file is retried up to --attempts.
    const failed = await queue.getJobs(['failed']);
    const attempts = Object.fromEntries(failed.map((job) => [job.data.key, job.attemptsMade]));
    assert.deepEqual(attempts, { 'empty.jpg': 1, 'text.jpg': 1, 'truncated.jpg': 1, 'gone.jpg': 2 });

    const status = await faceread(['batch', 'status', name, '--redis', url, '--json']);
    const figures = JSON.parse(status.stdout);
    assert.deepEqual([figures.total, figures.done, figures.failed, figures.finished], [12, 8, 4, true]);

    // --output named *.csv writes CSV without --format.
    const csvFile = path.join(dir, 'faces.csv');
    const csv = await faceread(['batch', 'export', name, '--redis', url, '--output', csvFile]);
    assert.equal(csv.code, 0, csv.stderr);
    const rows = csvRecords(await readFile(csvFile, 'utf8'));
    assert.ok(rows.some((row) => row.startsWith('truncated.jpg,') && row.includes('IMAGE_UNDECODABLE')));
    assert.ok(rows.includes('blank.jpg,0,,,,,,,,,,,,,,'), 'the photo without a face has its row');
    const faces = lines.reduce((sum, l) => sum + (l.faces?.length ?? 0), 0);
    assert.equal(rows.length, 1 + faces + 1 + 4, 'a header, one row per face, one per photo without faces and one per failure');
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
    await faceread(['batch', 'remove', name, '--redis', url]);
    await rm(dir, { recursive: true, force: true });
  }
});

test('batch status of an unknown batch is NOT_FOUND (exit 1); an unreachable Redis is QUEUE_UNAVAILABLE', { skip }, async () => {
  const url = (redis as { url: string }).url;
  const unknown = await faceread(['batch', 'status', uniqueBatchName('none'), '--redis', url]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /NOT_FOUND: No batch named test-none-/);
  const away = await faceread(['batch', 'status', 'x', '--redis', 'redis://127.0.0.1:1']);
  assert.equal(away.code, 1);
  assert.match(away.stderr, /QUEUE_UNAVAILABLE: Cannot use Redis at redis:\/\/127\.0\.0\.1:1\/?: connect ECONNREFUSED/);
  const bad = await faceread(['batch', 'submit', '--redis', 'http://x', 'a.jpg']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Expected a URL like redis:\/\/\[user:password@\]host:port\[\/db\] for --redis but received 'http:\/\/x'/);
});
