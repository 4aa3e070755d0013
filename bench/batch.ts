/**
 * `npm run bench:batch`: photos/s of distributed batch analysis with 1 and 2
 * worker processes (one inference thread each) against one Redis, next to
 * the library alone at the same parallelism, and the queue's own cost per
 * photo (BullMQ round trip with a no-op analyzer). Prints a table and writes
 * bench/results/batch-<time>.json.
 *   npm run bench:batch -- [--copies 8] [--redis redis://127.0.0.1:6379]
 * Without --redis (or FACEREAD_BENCH_REDIS) it starts a throw-away
 * redis-server on a free loopback port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createAnalyzer } from '../src/analyzer.js';
import { openBatch } from '../src/batch/batch-queue.js';
import { unregisterBatch } from '../src/batch/batch-registry.js';
import { startBatchWorker } from '../src/batch/batch-worker.js';
import { submitBatch } from '../src/batch/submit-batch.js';
import type { AnalysisResult, Analyzer } from '../src/types.js';
import { SAMPLE_PHOTOS } from './sample-photos.js';

const { values } = parseArgs({ options: { copies: { type: 'string', default: '8' }, redis: { type: 'string' }, 'noop-jobs': { type: 'string', default: '1000' } } });
const COPIES = Number(values.copies);
const NOOP_JOBS = Number(values['noop-jobs']);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(REPO, 'bin', 'faceread.js');

interface Row { setup: string; processes: number; threads: number; photos: number; photosPerSecond: number; msPerPhoto: number; wallMs?: number; workersReadyMs?: number }

async function startRedis(): Promise<{ url: string; stop(): void }> {
  const given = values.redis ?? process.env.FACEREAD_BENCH_REDIS;
  if (given) return { url: given, stop: () => {} };
  const port = await new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = server.address() as net.AddressInfo;
      server.close(() => resolve(p));
    });
  });
  const child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300));
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

/** COPIES copies of each sample photo under distinct names: distinct keys, the same work. */
async function photoFolder(): Promise<{ root: string; keys: string[] }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'faceread-bench-batch-'));
  const keys: string[] = [];
  for (let c = 0; c < COPIES; c++) {
    await mkdir(path.join(root, `copy${c}`));
    for (const photo of SAMPLE_PHOTOS) {
      const key = `copy${c}/${path.basename(photo)}`;
      await copyFile(photo, path.join(root, key));
      keys.push(key);
    }
  }
  return { root, keys };
}

async function libraryAlone(root: string, keys: string[], threads: number): Promise<Row> {
  const analyzer = await createAnalyzer({ poolSize: threads });
  // No warm-up: a worker's first photo (the first inference of its sessions) is timed too.
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: threads * 2 }, async () => {
    while (next < keys.length) await analyzer.analyze(path.join(root, keys[next++]!));
  }));
  const ms = performance.now() - started;
  await analyzer.close();
  return { setup: 'library alone', processes: 1, threads, photos: keys.length, photosPerSecond: keys.length / (ms / 1000), msPerPhoto: ms / keys.length };
}

async function removeBatch(url: string, name: string): Promise<void> {
  const batch = await openBatch(url, name, { mustExist: false });
  await batch.queue.obliterate({ force: true });
  await unregisterBatch(batch.redis, name);
  await batch.close();
}

/** Photos/s from BullMQ's own timestamps: first photo taken to last photo finished. */
async function spanOf(url: string, name: string): Promise<{ photos: number; ms: number }> {
  const batch = await openBatch(url, name, { mustExist: true });
  const jobs = await batch.queue.getJobs(['completed'], 0, -1);
  await batch.close();
  const first = Math.min(...jobs.map((j) => j.processedOn ?? Infinity));
  const last = Math.max(...jobs.map((j) => j.finishedOn ?? 0));
  return { photos: jobs.length, ms: last - first };
}

async function workerProcesses(url: string, root: string, keys: string[], processes: number): Promise<Row> {
  const name = `bench-${processes}p-${Date.now().toString(36)}`;
  const started = performance.now();
  const children: ChildProcess[] = Array.from({ length: processes }, () =>
    spawn(process.execPath, [BIN, 'worker', '--redis', url, '--batch', name, '--pool-size', '1', '--concurrency', '2', '--exit-when-idle', '--quiet'], { stdio: 'inherit' }));
  const exited = Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))));
  // Photos are submitted once every worker has loaded its models, so all of them run from the first photo on.
  const batch = await openBatch(url, name, { mustExist: false });
  while ((await batch.queue.getWorkersCount()) < processes) await new Promise((r) => setTimeout(r, 50));
  await batch.close();
  const readyMs = performance.now() - started;
  await submitBatch({ redisUrl: url, name, keys, root });
  await exited;
  const wallMs = performance.now() - started;
  const { photos, ms } = await spanOf(url, name);
  await removeBatch(url, name);
  if (photos !== keys.length) throw new Error(`only ${photos} of ${keys.length} photos were done`);
  return { setup: 'queue + worker processes', processes, threads: processes, photos, photosPerSecond: photos / (ms / 1000), msPerPhoto: ms / photos, wallMs, workersReadyMs: readyMs };
}

/** The queue alone: a no-op analyzer in-process, so each job costs only its Redis round trips. */
async function queueAlone(url: string): Promise<Row> {
  const name = `bench-noop-${Date.now().toString(36)}`;
  const keys = Array.from({ length: NOOP_JOBS }, (_, i) => `noop/${i}.jpg`);
  const root = await mkdtemp(path.join(os.tmpdir(), 'faceread-bench-noop-'));
  await mkdir(path.join(root, 'noop'));
  await Promise.all(keys.map((key) => writeFile(path.join(root, key), 'x')));
  await submitBatch({ redisUrl: url, name, keys, root });
  const empty: AnalysisResult = { image: { width: 1, height: 1 }, faces: [], timingsMs: { decode: 0, detect: 0, attributes: 0, total: 0 }, models: { detector: 'none', age: null, gender: null } };
  const noop: Analyzer = { analyze: async () => empty, load: () => ({ queued: 0, running: 0 }), close: async () => {} };
  const worker = await startBatchWorker({ redisUrl: url, batches: [name], concurrency: 1, timings: { lockDurationMs: 30_000, stalledIntervalMs: 30_000, maxStalledCount: 1 }, analyzer: noop, exitWhenIdle: true, pollMs: 200 });
  await worker.stopped;
  const { photos, ms } = await spanOf(url, name);
  await removeBatch(url, name);
  await rm(root, { recursive: true, force: true });
  return { setup: 'queue alone (no-op analyzer, 1 in flight)', processes: 1, threads: 0, photos, photosPerSecond: photos / (ms / 1000), msPerPhoto: ms / photos };
}

const redis = await startRedis();
const startedAt = new Date();
const { root, keys } = await photoFolder();
const rows: Row[] = [];
try {
  rows.push(await queueAlone(redis.url));
  for (const n of [1, 2]) {
    rows.push(await libraryAlone(root, keys, n));
    rows.push(await workerProcesses(redis.url, root, keys, n));
  }
} finally {
  redis.stop();
  await rm(root, { recursive: true, force: true });
}

const lib = (threads: number) => rows.find((r) => r.setup === 'library alone' && r.threads === threads)!;
console.log(`\nBatch analysis, ${keys.length} photos (${COPIES} x the 6 samples), ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? '?'}\n`);
console.log('| setup | processes | inference threads | photos | photos/s | ms per photo (wall / photos) | vs library alone |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  const base = r.setup.startsWith('queue +') ? lib(r.threads) : undefined;
  const versus = base ? `${r.msPerPhoto - base.msPerPhoto >= 0 ? '+' : ''}${(r.msPerPhoto - base.msPerPhoto).toFixed(1)} ms/photo (${((base.photosPerSecond / r.photosPerSecond - 1) * 100).toFixed(1)}%)` : '';
  console.log(`| ${r.setup} | ${r.processes} | ${r.threads} | ${r.photos} | ${r.photosPerSecond.toFixed(2)} | ${r.msPerPhoto.toFixed(1)} | ${versus} |`);
}
const outDir = path.join(REPO, 'bench', 'results');
await mkdir(outDir, { recursive: true });
const file = path.join(outDir, `batch-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
await writeFile(file, JSON.stringify({ date: startedAt.toISOString(), machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version }, copies: COPIES, rows }, null, 2));
console.log(`\nwrote ${path.relative(REPO, file)}`);
