/**
 * `npm run bench:memory`: what holds the server's memory. Builds the parts of
 * `npm start` one at a time in this process (under npm start's malloc
 * settings, re-executing itself with them) and prints the resident memory each
 * part adds: Node itself, sharp (libvips), onnxruntime, each model session of
 * the profile, the HTTP app, then the first photos and a run of photos four at
 * a time (onnxruntime's arena, libvips and pixel buffers, V8 garbage).
 * Writes bench/results/memory-<date>.json.
 *   npm run bench:memory -- [--profile default]   (FACEREAD_PRECISION=int8 for the int8 networks)
 */
import { spawnSync } from 'node:child_process';
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SERVICE_ENV } from './child-json.js';
import { SAMPLE_PHOTOS } from './sample-photos.js';

if (!process.env.FACEREAD_BENCH_MEMORY_CHILD) {
  // Re-run with npm start's variables: malloc settings only take effect at process start.
  const run = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    env: { ...process.env, ...SERVICE_ENV, FACEREAD_BENCH_MEMORY_CHILD: '1' },
    stdio: 'inherit',
  });
  process.exit(run.status ?? 1);
}

const { values } = parseArgs({ options: { profile: { type: 'string', default: 'default' } } });
const rssMb = async () => Number(/VmRSS:\s+(\d+)/.exec(await readFile('/proc/self/status', 'utf8'))![1]) / 1024;
const rows: { part: string; rssMb: number; addedMb: number }[] = [];
let last = await rssMb();
rows.push({ part: 'Node.js (this script)', rssMb: last, addedMb: last });
async function mark(part: string) {
  const now = await rssMb();
  rows.push({ part, rssMb: now, addedMb: now - last });
  last = now;
}

const { loadSharp } = await import('../src/image/load-sharp.js');
await loadSharp();
await mark('sharp (libvips mapped)');
const ort = (await import('../src/engine/ort.js')).default;
void ort;
await mark('onnxruntime-node');
const { resolveStoredProfile, storedFiles } = await import('../src/models/prepare.js');
const { createSession } = await import('../src/engine/session-options.js');
const { ANALYZER_DEFAULTS } = await import('../src/analyzer.js');
const files = await resolveStoredProfile(values.profile!, undefined, undefined, ANALYZER_DEFAULTS.precision);
const refs = storedFiles(files);
const sessions = [];
for (const ref of refs) {
  sessions.push(await createSession(ref.path, ANALYZER_DEFAULTS.intraOpThreads));
  await mark(`session ${ref.id} (${ref.path.split('/').pop()})`);
}
await Promise.all(sessions.map((s) => s.release()));
await mark('sessions released (what the process keeps of them)');

const { buildApp } = await import('../src/server/app.js');
const { loadServerConfig } = await import('../src/server/config.js');
const { createAnalyzer } = await import('../src/analyzer.js');
const analyzer = await createAnalyzer({ profile: values.profile });
await mark('analyzer: one worker thread with its own sessions (as npm start)');
const app = await buildApp({ analyzer, config: loadServerConfig({ env: { ...process.env, PORT: '0' } }) });
await app.ready();
await mark('HTTP app (fastify, plugins, schemas)');
const photos = await Promise.all(SAMPLE_PHOTOS.map((file) => readFile(file)));
for (const photo of photos) await analyzer.analyze(photo);
await mark('first six photos (arena, buffers)');
let peak = last;
for (let round = 0; round < 5; round++) {
  await Promise.all(photos.map((photo) => analyzer.analyze(photo)));
  peak = Math.max(peak, await rssMb());
}
await mark('thirty more, six at a time');
const hwm = Number(/VmHWM:\s+(\d+)/.exec(await readFile('/proc/self/status', 'utf8'))![1]) / 1024;
await app.close();
await analyzer.close();

console.log(`precision: ${ANALYZER_DEFAULTS.precision}; malloc settings: ${Object.entries(SERVICE_ENV).map(([k, v]) => `${k}=${v}`).join(' ') || '(glibc defaults)'}`);
console.log('| part | adds MB | RSS MB |');
console.log('| --- | --- | --- |');
for (const row of rows) console.log(`| ${row.part} | ${row.addedMb.toFixed(1)} | ${row.rssMb.toFixed(1)} |`);
console.log(`peak RSS (VmHWM) ${hwm.toFixed(0)} MB`);
const here = dirname(fileURLToPath(import.meta.url));
const root = import.meta.url.endsWith('.js') ? join(here, '..', '..') : join(here, '..');
const out = join(root, 'bench', 'results', `memory-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.json`);
await mkdir(dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify({ date: new Date().toISOString(), machine: { cpus: os.cpus().length, node: process.version }, env: SERVICE_ENV, rows, peakMb: hwm }, null, 2)}\n`);
console.log(`wrote ${out}`);
