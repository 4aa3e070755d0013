/**
 * `npm run bench:malloc`: the memory-setting A/B behind `npm start`'s environment (malloc, and
 * V8's young generation). Runs `bench:http` once per setting, one after another in one go (same
 * build, same photos, same machine), and prints photos/s, CPU and page faults per photo and peak
 * RSS side by side; writes bench/results/malloc-<date>.json.
 *
 * Options (env): BENCH_DURATION_S (default 8), BENCH_LEVELS (default 1,4,16), BENCH_ROUNDS (default 1:
 * settings are run in turn this many times, so drift shows), BENCH_SETTINGS (numbers of the
 * settings to run, from 1, comma-separated; default all).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = import.meta.url.endsWith('.js') ? join(here, '..', '..') : join(here, '..');
const JEMALLOC = '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2';

const HAND_BACK = 'GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072:glibc.malloc.trim_threshold=131072:glibc.malloc.arena_max=2';

const ALL_SETTINGS: { name: string; env: string }[] = [
  { name: 'glibc defaults', env: '-' },
  { name: 'glibc arena_max=2', env: 'GLIBC_TUNABLES=glibc.malloc.arena_max=2' },
  { name: 'glibc mmap/trim 128 KB (hand memory back)', env: HAND_BACK },
  { name: 'glibc mmap/trim 4 MB', env: 'GLIBC_TUNABLES=glibc.malloc.mmap_threshold=4194304:glibc.malloc.trim_threshold=4194304:glibc.malloc.arena_max=2' },
  ...(existsSync(JEMALLOC) ? [{ name: 'jemalloc (default decay)', env: `LD_PRELOAD=${JEMALLOC}` }] : []),
  // V8 grows each thread's young generation up to 16 MB semi-spaces when a thread allocates fast
  // (the main thread under many uploads); smaller ones are collected more often but hold less.
  { name: 'mmap/trim 128 KB + V8 semi-space 1 MB', env: `${HAND_BACK} NODE_OPTIONS=--max-semi-space-size=1` },
  { name: 'mmap/trim 128 KB + V8 semi-space 4 MB', env: `${HAND_BACK} NODE_OPTIONS=--max-semi-space-size=4` },
];
const chosen = process.env.BENCH_SETTINGS?.split(',').map(Number);
const SETTINGS = chosen ? ALL_SETTINGS.filter((_, i) => chosen.includes(i + 1)) : ALL_SETTINGS;

interface HttpReport {
  startToReadyMs: number;
  peakRssMb: number;
  levels: { connections: number; throughputPerS: number; latencyMs: { p50: number; p99: number }; cpuMsPerPhoto: number; minorFaultsPerPhoto: number; statusCodes: Record<string, number> }[];
}

function runHttp(env: string, out: string): Promise<HttpReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, 'http.js')], {
      env: { ...process.env, BENCH_SERVER_ENV: env, BENCH_OUT: out, BENCH_DURATION_S: process.env.BENCH_DURATION_S ?? '8', BENCH_LEVELS: process.env.BENCH_LEVELS ?? '1,4,16' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.once('exit', async (code) => {
      if (code !== 0) return reject(new Error(`bench:http with ${env} exited ${code}`));
      resolve(JSON.parse(await readFile(out, 'utf8')) as HttpReport);
    });
  });
}

const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
const started = new Date();
const runs: { name: string; env: string; round: number; report: HttpReport }[] = [];
for (let round = 1; round <= rounds; round++) {
  for (const setting of SETTINGS) {
    process.stdout.write(`round ${round}: ${setting.name}... `);
    const out = join(os.tmpdir(), `faceread-malloc-${process.pid}.json`);
    const report = await runHttp(setting.env, out);
    await rm(out, { force: true });
    runs.push({ ...setting, round, report });
    console.log(report.levels.map((l) => `${l.connections}: ${l.throughputPerS.toFixed(1)}/s`).join(', '), `peak ${report.peakRssMb} MB`);
  }
}

const levels = runs[0]!.report.levels.map((l) => l.connections);
console.log(`\n| setting | round | ${levels.map((c) => `${c} clients: photos/s, p50 ms, CPU ms/photo, faults/photo`).join(' | ')} | peak RSS MB | ready ms |`);
console.log(`| --- | --- | ${levels.map(() => '---').join(' | ')} | --- | --- |`);
for (const run of runs) {
  const cells = run.report.levels.map((l) => `${l.throughputPerS.toFixed(1)}, ${l.latencyMs.p50}, ${l.cpuMsPerPhoto.toFixed(0)}, ${l.minorFaultsPerPhoto.toFixed(0)}`);
  console.log(`| ${run.name} | ${run.round} | ${cells.join(' | ')} | ${run.report.peakRssMb} | ${run.report.startToReadyMs} |`);
}
const file = join(root, 'bench', 'results', `malloc-${started.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.json`);
await mkdir(dirname(file), { recursive: true });
await writeFile(file, `${JSON.stringify({ date: started.toISOString(), machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version }, runs }, null, 2)}\n`);
console.log(`wrote ${file}`);
