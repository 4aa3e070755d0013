/**
 * The fuzzer (`npm run fuzz`): sends mutated and generated files (10,000 by
 * default) through the library and through `POST /api/analyze` of a server
 * listening on 127.0.0.1, plus the requests with hostile framing, and
 * prints the count of every outcome. Any 5xx, crash, unregistered code or
 * non-input library error is a failure: listed with its case number, exit 1.
 * Memory is read after the first 500 cases and at the end (after a full GC).
 *
 *   npm run fuzz -- --cases 10000 --seed 42 --concurrency 4
 *
 * A failing case is replayed by running the same seed with --cases up to it.
 */
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { createAnalyzer } from '../src/analyzer.js';
import { buildApp } from '../src/server/app.js';
import { loadServerConfig } from '../src/server/config.js';
import { fuzzCases, loadCaseMaterial } from '../test/fuzz/fuzz-cases.js';
import { formatTally, runFuzz, type FuzzTally } from '../test/fuzz/fuzz-runner.js';
import { checkHostileRequest, hostileRequests } from '../test/fuzz/hostile-requests.js';
import { settledMemoryMb } from '../test/helpers/memory.js';
import { sample } from '../test/integration/server/helpers.js';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '10000' },
    seed: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    'model-dir': { type: 'string' },
  },
});
const cases = Number(values.cases);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const concurrency = Number(values.concurrency);
if (!(cases > 0 && Number.isInteger(seed) && concurrency > 0)) {
  throw new RangeError(`Expected positive numbers for --cases and --concurrency and an integer --seed but received ${JSON.stringify(values)}`);
}

const workerNotes: string[] = [];
const analyzer = await createAnalyzer({ ...(values['model-dir'] ? { modelDir: values['model-dir'] } : {}), log: (note) => workerNotes.push(note) });
const config = loadServerConfig({ env: {}, overrides: { port: 0, logLevel: 'silent' } });
const app = await buildApp({ analyzer, config });
const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
const port = (app.server.address() as { port: number }).port;
console.log(`fuzz: seed ${seed}, ${cases} cases through the library and ${baseUrl}/api/analyze, ${concurrency} at a time`);

let framingProblems = 0;
const photo = await sharp(sample(1)).resize({ width: 320 }).jpeg().toBuffer();
for (const request of hostileRequests(photo, config.maxBatchFiles)) {
  const { answer, problem } = await checkHostileRequest(port, request);
  if (problem) framingProblems++;
  console.log(`${problem ? 'FAIL' : 'ok  '} ${request.name}: ${answer.status} ${problem ?? ''}`);
}

const material = await loadCaseMaterial(seed);
const all = fuzzCases(seed, cases, material);
const started = performance.now();
const progress = (done: number) => {
  if (done % 500 === 0) console.log(`  ${done} cases, ${((performance.now() - started) / 1000).toFixed(0)} s`);
};
const warmCount = Math.min(500, cases);
const warm = await runFuzz(take(all, warmCount), { analyzer, baseUrl, concurrency, onCase: progress });
const warmMemory = await settledMemoryMb();
const rest = await runFuzz(all, { analyzer, baseUrl, concurrency, onCase: (done) => progress(done + warmCount) });
const endMemory = await settledMemoryMb();
await app.close();
await analyzer.close();

const tally = merge(warm, rest);
console.log(`\n${tally.cases} cases in ${((performance.now() - started) / 1000).toFixed(0)} s; outcomes:\n${formatTally(tally)}`);
console.log(
  `memory after ${warmCount} cases: RSS ${warmMemory.rss.toFixed(0)} MB, buffers ${warmMemory.arrayBuffers.toFixed(1)} MB; ` +
    `at the end: RSS ${endMemory.rss.toFixed(0)} MB, buffers ${endMemory.arrayBuffers.toFixed(1)} MB`,
);
const crashes = workerNotes.filter((note) => /worker failed/.test(note));
for (const failure of tally.failures.slice(0, 20)) console.log(`FAIL case ${failure.index} (${failure.name}) via ${failure.path}: ${failure.outcome}: ${failure.detail}`);
const failed = tally.failures.length + framingProblems + crashes.length;
console.log(failed === 0 ? 'fuzz: no failures' : `fuzz: ${tally.failures.length} failing cases, ${framingProblems} framing problems, ${crashes.length} worker crashes (seed ${seed})`);
process.exitCode = failed === 0 ? 0 : 1;

function* take<T>(iterator: Iterator<T>, count: number): Generator<T> {
  for (let i = 0; i < count; i++) {
    const next = iterator.next();
    if (next.done) return;
    yield next.value;
  }
}

function merge(a: FuzzTally, b: FuzzTally): FuzzTally {
  const counts = new Map(a.counts);
  for (const [outcome, n] of b.counts) counts.set(outcome, (counts.get(outcome) ?? 0) + n);
  return { counts, failures: [...a.failures, ...b.failures], cases: a.cases + b.cases };
}
