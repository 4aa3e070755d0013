/**
 * `npm run bench:startup`: how long the server takes to be ready as
 * `npm start` starts it (its malloc settings, a warm model store), and how
 * much CPU the process spends until then. Each run spawns
 * `node dist/src/server/start.js`, reads the "ready ... in N ms since the
 * process started" line it logs, and takes the process's CPU time from /proc
 * at that moment; then it sends one photo and times its answer. On two cores
 * the CPU before ready decides the time, so both are printed.
 *
 * Give several checkouts (built, each with its own dist/) to compare them
 * side by side: runs alternate between them, e.g.
 *   BENCH_CHECKOUTS=../old-checkout,. npm run bench:startup
 *
 * Options (env): BENCH_RUNS (default 5 per checkout), BENCH_CHECKOUTS (default this one),
 * BENCH_FIRST_DELAY_MS (wait after ready before the first photo, default 1500).
 * Prints a table and writes bench/results/startup-<date>.json.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile, SERVICE_ENV } from './child-json.js';
import { treeCpuMs } from './process-tree.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = here.includes('/dist/') ? join(here, '..', '..') : join(here, '..');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const firstDelayMs = Number(process.env.BENCH_FIRST_DELAY_MS ?? 1500);
const checkouts = (process.env.BENCH_CHECKOUTS ?? root).split(',').map((dir) => resolve(dir.trim()));
const photo = readFileSync(join(root, 'node_modules', '@vladmandic', 'face-api', 'demo', 'sample1.jpg'));

interface Run {
  readyMs: number;
  cpuMsToReady: number;
  firstPhotoMs: number;
}

async function startOnce(checkout: string, port: number): Promise<Run> {
  const child = spawn(process.execPath, [join(checkout, 'dist', 'src', 'server', 'start.js')], {
    cwd: checkout,
    env: { ...process.env, ...SERVICE_ENV, PORT: String(port), HOST: '127.0.0.1', FACEREAD_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const ready = await new Promise<{ readyMs: number; cpuMsToReady: number }>((done, fail) => {
      let log = '';
      const timer = setTimeout(() => fail(new Error(`${checkout}: not ready in 60 s`)), 60_000);
      child.stdout.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        const found = /ready at \S+ in (\d+) ms since the process started/.exec(log);
        if (!found) return;
        clearTimeout(timer);
        done({ readyMs: Number(found[1]), cpuMsToReady: treeCpuMs(child.pid!) });
      });
      child.once('exit', (code) => fail(new Error(`${checkout}: exited with ${code} before ready`)));
    });
    await new Promise((r) => setTimeout(r, firstDelayMs));
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${port}/api/analyze`, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: photo });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${checkout}: the first photo got ${response.status}`);
    return { ...ready, firstPhotoMs: performance.now() - started };
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
  }
}

async function main(): Promise<void> {
  const results = new Map<string, Run[]>(checkouts.map((dir) => [dir, []]));
  let port = 39170;
  for (let round = 0; round < runs; round++) {
    for (const checkout of checkouts) results.get(checkout)!.push(await startOnce(checkout, ++port));
  }
  console.log(`bench:startup: ${runs} runs per checkout, alternated; first photo ${firstDelayMs} ms after ready`);
  console.log('| checkout | ready ms (median, all) | CPU ms to ready (median) | first photo ms (median) |');
  console.log('| --- | --- | --- | --- |');
  for (const [checkout, list] of results) {
    const median = (pick: (run: Run) => number) => Math.round(percentile(list.map(pick), 50));
    console.log(`| ${checkout} | ${median((r) => r.readyMs)} (${list.map((r) => r.readyMs).join(', ')}) | ${median((r) => r.cpuMsToReady)} | ${median((r) => r.firstPhotoMs)} |`);
  }
  const out = join(root, 'bench', 'results', `startup-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.json`);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, JSON.stringify({ date: new Date().toISOString(), runs, firstDelayMs, results: Object.fromEntries(results) }, null, 2));
  console.log(`wrote ${out}`);
}

await main();
