/**
 * `npm run bench`: FaceRead (library) against @vladmandic/face-api on
 * tfjs-backend-wasm, side by side in one run on the six sample photos.
 * Prints a table and writes bench/results/bench-<time>.json.
 * Also the age/gender stage alone per crop, with and without mirror
 * averaging (bench/attribute-views.ts).
 *   npm run bench -- [--rounds 3] [--peer-rounds 2] [--view-rounds 10]
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { AttributeViewsResult } from './attribute-views.js';
import { percentile, runChild } from './child-json.js';

interface ProbeResult {
  pool: number; threads: number; concurrency: number; readyMs: number; firstResultMs: number;
  sequential: { timings: { decode: number; detect: number; attributes: number; total: number }; wallMs: number; faces: number }[];
  throughput: { photos: number; wallMs: number; photosPerSecond: number };
  peakRssMB: number; maxRssMB: number;
}
interface PeerResult { readyMs: number; firstResultMs: number; decodeMs: number[]; analysisMs: number[]; faces: number[]; photos: number; wallMs: number; maxRssMB: number }
interface FirstResult { readyMs: number; firstResultMs: number; faces: number }

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, 'peer-rounds': { type: 'string', default: '2' }, 'view-rounds': { type: 'string', default: '10' } } });
const CONFIGS = [
  { pool: 1, threads: 1 },
  { pool: 1, threads: 2 },
  { pool: 2, threads: 1 },
];
const fmt = (n: number, digits = 1) => n.toFixed(digits);
const p50p95 = (xs: number[]) => `${fmt(percentile(xs, 50))} / ${fmt(percentile(xs, 95))}`;

async function startTimes() {
  await runChild<FirstResult>('./faceread-probe.js', ['--first-only']); // makes sure the default store is warm
  const warm: FirstResult[] = [];
  for (let i = 0; i < 3; i++) warm.push(await runChild<FirstResult>('./faceread-probe.js', ['--first-only']));
  const emptyDir = await mkdtemp(path.join(os.tmpdir(), 'faceread-bench-store-'));
  const empty = await runChild<FirstResult>('./faceread-probe.js', ['--first-only'], { FACEREAD_MODEL_DIR: emptyDir });
  await rm(emptyDir, { recursive: true, force: true });
  return { warm, empty };
}

const started = new Date();
console.log('measuring start-up...');
const start = await startTimes();
const configs: ProbeResult[] = [];
for (const c of CONFIGS) {
  console.log(`measuring FaceRead pool ${c.pool} x ${c.threads} thread(s)...`);
  configs.push(await runChild<ProbeResult>('./faceread-probe.js', ['--pool', String(c.pool), '--threads', String(c.threads), '--rounds', values.rounds!]));
}
console.log('measuring the age/gender stage by crop, with and without mirror averaging...');
const views = await runChild<AttributeViewsResult>('./attribute-views.js', ['--rounds', values['view-rounds']!]);
console.log('measuring face-api (tfjs wasm), one process then two at once...');
const peer = await runChild<PeerResult>('./peer-faceapi.js', ['--rounds', values['peer-rounds']!]);
const peerPair = await Promise.all([0, 1].map(() => runChild<PeerResult>('./peer-faceapi.js', ['--rounds', values['peer-rounds']!])));
const peerPairPhotosPerSecond = (peerPair[0]!.photos + peerPair[1]!.photos) * 1000 / Math.max(...peerPair.map((p) => p.wallMs));

console.log('\nPer photo, one at a time (ms, p50 / p95):');
console.log('| runner | decode | detect | attributes | analysis (no decode) | with decode | photos/s (both cores) | peak RSS MB |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of configs) {
  const t = (k: 'decode' | 'detect' | 'attributes') => r.sequential.map((s) => s.timings[k]);
  const analysis = r.sequential.map((s) => s.timings.detect + s.timings.attributes);
  console.log(`| FaceRead pool ${r.pool} x ${r.threads} thr | ${p50p95(t('decode'))} | ${p50p95(t('detect'))} | ${p50p95(t('attributes'))} | ${p50p95(analysis)} | ${p50p95(r.sequential.map((s) => s.wallMs))} | ${fmt(r.throughput.photosPerSecond)} | ${fmt(r.peakRssMB, 0)} |`);
}
const peerTotal = peer.analysisMs.map((a, i) => a + peer.decodeMs[i]!);
console.log(`| face-api tfjs-wasm | ${p50p95(peer.decodeMs)} | - | - | ${p50p95(peer.analysisMs)} | ${p50p95(peerTotal)} | ${fmt(peerPairPhotosPerSecond)} (2 processes) | ${fmt(peer.maxRssMB, 0)} |`);

const faceCount = views.faces.reduce((a, b) => a + b, 0);
const oneThreadAnalysis = percentile(configs[0]!.sequential.map((s) => s.timings.detect + s.timings.attributes), 50);
const padded = percentile(views.msPerPhoto.padded!, 50);
console.log(`\nAge/gender stage alone, per photo (ms, p50 / p95; ${faceCount} faces in ${views.faces.length} photos, 1 thread, variants in turn):`);
console.log('| crop | ms a photo | against padded | share of the analysis (pool 1 x 1 thr, p50) |');
console.log('| --- | --- | --- | --- |');
for (const [name, ms] of Object.entries(views.msPerPhoto)) {
  const p50 = percentile(ms, 50);
  console.log(`| ${name} | ${p50p95(ms)} | ${fmt(p50 / padded, 2)}x | ${fmt((100 * p50) / oneThreadAnalysis)}% of ${fmt(oneThreadAnalysis)} ms |`);
}

const bestLatency = Math.min(...configs.map((r) => percentile(r.sequential.map((s) => s.wallMs), 50)));
const bestAnalysis = Math.min(...configs.map((r) => percentile(r.sequential.map((s) => s.timings.detect + s.timings.attributes), 50)));
const bestThroughput = Math.max(...configs.map((r) => r.throughput.photosPerSecond));
const warmReady = percentile(start.warm.map((w) => w.readyMs), 50);
const warmFirst = percentile(start.warm.map((w) => w.firstResultMs), 50);
console.log('\nRatios (same run):');
console.log(`  analysis per photo: ${fmt(percentile(peer.analysisMs, 50) / bestAnalysis)}x faster than face-api (p50 ${fmt(bestAnalysis)} vs ${fmt(percentile(peer.analysisMs, 50))} ms)`);
console.log(`  with decoding:      ${fmt(percentile(peerTotal, 50) / bestLatency)}x faster (p50 ${fmt(bestLatency)} vs ${fmt(percentile(peerTotal, 50))} ms)`);
console.log(`  photos/s, both cores: ${fmt(bestThroughput / peerPairPhotosPerSecond)}x (${fmt(bestThroughput)} vs ${fmt(peerPairPhotosPerSecond)})`);
console.log(`Start-up: ready ${fmt(warmReady)} ms, first result ${fmt(warmFirst)} ms after process start (warm store, p50 of 3); empty store: ready ${fmt(start.empty.readyMs)} ms, first result ${fmt(start.empty.firstResultMs)} ms`);
console.log(`face-api: ready ${fmt(peer.readyMs)} ms, first result ${fmt(peer.firstResultMs)} ms; faces per photo FaceRead ${configs[0]!.sequential.slice(0, 6).map((s) => s.faces).join(',')} face-api ${peer.faces.join(',')}`);

const outDir = new URL('../../bench/results/', import.meta.url);
await mkdir(outDir, { recursive: true });
const file = new URL(`bench-${started.toISOString().replace(/[:.]/g, '-')}.json`, outDir);
await writeFile(file, JSON.stringify({ date: started.toISOString(), machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version }, start, configs, views, peer, peerPair, peerPairPhotosPerSecond }, null, 2));
console.log(`\nwrote ${file.pathname}`);
