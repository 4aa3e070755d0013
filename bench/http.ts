/**
 * HTTP benchmark (`npm run bench:http`): starts the server in a child
 * process, times start-up to the first 200 from /readyz, then loads it from
 * this process with autocannon over loopback, posting the six face-api
 * sample photos as raw image/jpeg bodies at 1, 4, 16 and 64 concurrent
 * clients. For each level: throughput, p50/p99 latency, status and error
 * counts, /healthz latency while loaded and the server's event-loop delay
 * p99 (prom-client, reset at every scrape). Prints a table and writes
 * bench/results/http-<date>.json.
 *
 * Options (env): BENCH_DURATION_S (default 10), BENCH_LEVELS (default 1,4,16,64), BENCH_PORT (default 3917),
 * BENCH_SERVER_ENV (the server's variables instead of npm start's, "-" for none), BENCH_OUT (the JSON file).
 */
import { spawn } from 'node:child_process';
import { SERVICE_ENV } from './child-json.js';
import { treeCpuMs, treeMinorFaults, treePeakRssMb, treeRssMb } from './process-tree.js';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { EVENT_LOOP_SAMPLING_MS } from '../src/server/plugins/metrics.js';

const here = dirname(fileURLToPath(import.meta.url));
// Compiled: dist/bench/http.js -> dist/src/server/start.js; with tsx: bench/http.ts -> src/server/start.ts.
const compiled = import.meta.url.endsWith('.js');
const startScript = join(here, '..', 'src', 'server', compiled ? 'start.js' : 'start.ts');
const root = compiled ? join(here, '..', '..') : join(here, '..');
const SAMPLES = [1, 2, 3, 4, 5, 6].map((n) => join(root, 'node_modules', '@vladmandic', 'face-api', 'demo', `sample${n}.jpg`));

const durationS = Number(process.env.BENCH_DURATION_S ?? 10);
const levels = (process.env.BENCH_LEVELS ?? '1,4,16,64').split(',').map(Number);
const port = Number(process.env.BENCH_PORT ?? 3917);
const base = `http://127.0.0.1:${port}`;

interface LevelResult {
  connections: number;
  durationS: number;
  requests: number;
  /** Successful (2xx) analyses per second. */
  throughputPerS: number;
  /** All responses per second, 503s included. */
  responsesPerS: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  healthzMs: { p50: number; p99: number; max: number; samples: number };
  /** p99 of the server's event-loop histogram, which includes the timer's own interval. */
  eventLoopIntervalP99Ms: number | null;
  /** How late the loop's timer fired (p99): the figure above minus the interval. */
  eventLoopDelayP99Ms: number | null;
  serverRssMb: number;
  /** The server process's CPU time (all threads) per successful photo. */
  cpuMsPerPhoto: number;
  /** Minor page faults per successful photo: memory handed back to the system and faulted in again. */
  minorFaultsPerPhoto: number;
}

/** Minor faults and CPU milliseconds (user + system, all threads) of the server so far. */
const procCounters = (pid: number) => ({ minorFaults: treeMinorFaults(pid), cpuMs: treeCpuMs(pid) });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function eventLoopP99Ms(): Promise<number | null> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const match = /^nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(text);
  return match ? Number(match[1]) * 1000 : null;
}

/** Times GET /healthz every 100 ms until stopped. */
function probeHealth(): { stop(): Promise<number[]> } {
  const times: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const response = await fetch(`${base}/healthz`);
        await response.arrayBuffer();
        if (response.ok) times.push(performance.now() - started);
      } catch {
        // counted as a missing sample
      }
      await sleep(100);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return times;
    },
  };
}

async function runLevel(connections: number, bodies: Buffer[], pid: number): Promise<LevelResult> {
  await eventLoopP99Ms(); // resets the server's event-loop histogram
  const health = probeHealth();
  const before = procCounters(pid);
  const result = await autocannon({
    url: base,
    connections,
    duration: durationS,
    timeout: 30,
    requests: bodies.map((body) => ({ method: 'POST', path: '/api/analyze', headers: { 'content-type': 'image/jpeg' }, body })),
  });
  const after = procCounters(pid);
  const healthTimes = await health.stop();
  const loopIntervalP99 = await eventLoopP99Ms();
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = (stats as { count: number }).count;
  const served = Object.entries(statusCodes).filter(([code]) => code.startsWith('2')).reduce((sum, [, n]) => sum + n, 0);
  return {
    connections,
    durationS,
    requests: result.requests.total,
    throughputPerS: served / result.duration,
    responsesPerS: result.requests.total / result.duration,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    statusCodes,
    errors: result.errors,
    timeouts: result.timeouts,
    healthzMs: { p50: percentile(healthTimes, 50), p99: percentile(healthTimes, 99), max: Math.max(...healthTimes), samples: healthTimes.length },
    eventLoopIntervalP99Ms: loopIntervalP99,
    eventLoopDelayP99Ms: loopIntervalP99 === null ? null : Math.max(0, loopIntervalP99 - EVENT_LOOP_SAMPLING_MS),
    serverRssMb: treeRssMb(pid),
    cpuMsPerPhoto: (after.cpuMs - before.cpuMs) / Math.max(1, served),
    minorFaultsPerPhoto: (after.minorFaults - before.minorFaults) / Math.max(1, served),
  };
}

async function main(): Promise<void> {
  const bodies = await Promise.all(SAMPLES.map((file) => readFile(file)));
  const started = performance.now();
  const child = spawn(process.execPath, [...process.execArgv, startScript], {
    // As `npm start` runs it (its malloc settings included).
    env: { ...process.env, ...SERVICE_ENV, PORT: String(port), HOST: '127.0.0.1', FACEREAD_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    let readyMs = NaN;
    while (Number.isNaN(readyMs)) {
      if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} before it was ready`);
      if (performance.now() - started > 120_000) throw new Error('the server was not ready within 120 s');
      try {
        if ((await fetch(`${base}/readyz`)).status === 200) readyMs = performance.now() - started;
      } catch {
        // not listening yet
      }
      if (Number.isNaN(readyMs)) await sleep(20);
    }
    console.log(`server ready (first 200 from /readyz) ${readyMs.toFixed(0)} ms after spawn`);
    // Warm-up: first calls allocate buffers and settle the workers.
    for (const body of bodies) await fetch(`${base}/api/analyze`, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body });

    const results: LevelResult[] = [];
    for (const connections of levels) {
      process.stdout.write(`${connections} concurrent clients for ${durationS} s... `);
      const level = await runLevel(connections, bodies, child.pid!);
      results.push(level);
      console.log(`${level.throughputPerS.toFixed(1)} photos/s (2xx)`);
    }
    const peakRssMb = treePeakRssMb(child.pid!);

    console.log(`\nserver environment: ${Object.entries(SERVICE_ENV).map(([k, v]) => `${k}=${v}`).join(' ') || '(none)'}`);
    console.log('clients | 2xx/s | p50 ms | p99 ms | 2xx  | non-2xx          | errors | healthz p50/p99 ms | loop delay p99 ms | RSS MB | CPU ms/photo | faults/photo');
    console.log('--------|-------|--------|--------|------|------------------|--------|--------------------|-------------------|--------|--------------|-------------');
    for (const r of results) {
      const ok = Object.entries(r.statusCodes).filter(([c]) => c.startsWith('2')).reduce((sum, [, n]) => sum + n, 0);
      const other = Object.entries(r.statusCodes).filter(([c]) => !c.startsWith('2')).map(([c, n]) => `${c}:${n}`).join(' ') || '-';
      console.log(
        `${String(r.connections).padStart(7)} | ${r.throughputPerS.toFixed(1).padStart(5)} | ${String(r.latencyMs.p50).padStart(6)} | ${String(r.latencyMs.p99).padStart(6)} | ${String(ok).padStart(4)} | ${other.padEnd(16)} | ${String(r.errors + r.timeouts).padStart(6)} | ${`${r.healthzMs.p50.toFixed(1)}/${r.healthzMs.p99.toFixed(1)}`.padStart(18)} | ${(r.eventLoopDelayP99Ms?.toFixed(1) ?? '-').padStart(17)} | ${r.serverRssMb.toFixed(0).padStart(6)} | ${r.cpuMsPerPhoto.toFixed(0).padStart(12)} | ${r.minorFaultsPerPhoto.toFixed(0).padStart(12)}`,
      );
    }
    console.log(`\nloop delay: p99 of the server's nodejs_eventloop_lag histogram minus its ${EVENT_LOOP_SAMPLING_MS} ms timer interval (raw p99: ${results.map((r) => r.eventLoopIntervalP99Ms?.toFixed(1) ?? '-').join(' / ')} ms)`);
    console.log(`start to ready: ${readyMs.toFixed(0)} ms; server peak RSS (VmHWM): ${peakRssMb.toFixed(0)} MB`);

    const report = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGb: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version },
      method: 'autocannon in the bench process, server in a child process, loopback, raw image/jpeg bodies cycling face-api demo sample1..6',
      serverEnv: SERVICE_ENV,
      startToReadyMs: Math.round(readyMs),
      peakRssMb: Math.round(peakRssMb),
      levels: results,
    };
    const out = process.env.BENCH_OUT ?? join(root, 'bench', 'results', `http-${report.date.slice(0, 19).replace(/[:T]/g, '-')}.json`);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${out}`);
  } finally {
    child.kill('SIGTERM');
    const code = await Promise.race([exited, sleep(40_000).then(() => 'timeout')]);
    if (code !== 0) console.error(`server shutdown: ${code}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
