/**
 * FaceRead's side of the benchmark, run as a child process by bench/run.ts
 * so each configuration gets a clean process (start time, RSS). Prints one
 * JSON line.
 *   node dist/bench/faceread-probe.js --pool 2 --threads 1 --rounds 3 [--concurrency 4]
 */
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { createAnalyzer } from '../src/analyzer.js';
import type { AnalysisResult } from '../src/types.js';
import { SAMPLE_PHOTOS } from './sample-photos.js';

const { values } = parseArgs({
  options: {
    pool: { type: 'string', default: '1' },
    threads: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string' },
    'first-only': { type: 'boolean', default: false },
  },
});
const pool = Number(values.pool);
const rounds = Number(values.rounds);
const concurrency = Number(values.concurrency ?? pool * 2);

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);

const analyzer = await createAnalyzer({ poolSize: pool, intraOpThreads: Number(values.threads) });
const readyMs = performance.now();
const photos = await Promise.all(SAMPLE_PHOTOS.map((f) => readFile(f)));
const first = await analyzer.analyze(photos[0]!);
const firstResultMs = performance.now();
if (values['first-only']) {
  console.log(JSON.stringify({ readyMs, firstResultMs, faces: first.faces.length }));
  await analyzer.close();
  process.exit(0);
}

// One photo at a time: latency per stage and in all (wall time seen by the caller).
const sequential: { timings: AnalysisResult['timingsMs']; wallMs: number; faces: number }[] = [];
for (let round = 0; round < rounds; round++) {
  for (const bytes of photos) {
    const t0 = performance.now();
    const result = await analyzer.analyze(bytes);
    sequential.push({ timings: result.timingsMs, wallMs: performance.now() - t0, faces: result.faces.length });
  }
}

// Throughput: `concurrency` photos in flight until rounds x 6 are done.
const total = rounds * photos.length * 2;
let next = 0;
const t0 = performance.now();
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (next < total) await analyzer.analyze(photos[next++ % photos.length]!);
}));
const throughputWallMs = performance.now() - t0;

clearInterval(sampler);
await analyzer.close();
console.log(JSON.stringify({
  pool, threads: Number(values.threads), concurrency, readyMs, firstResultMs, sequential,
  throughput: { photos: total, wallMs: throughputWallMs, photosPerSecond: (total * 1000) / throughputWallMs },
  peakRssMB: peakRss / 2 ** 20, maxRssMB: process.resourceUsage().maxRSS / 1024,
}));
