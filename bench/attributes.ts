/**
 * `npm run bench:attributes`: what each attribute costs, side by side in one
 * process. One analyzer (1 worker, 1 thread) reads the six sample photos
 * (already decoded bytes in memory) with age+gender only, then with each
 * other attribute added, then with all; the variants take turns every round,
 * so a busy machine slows them alike. With `--baseline <dist/src/index.js>`
 * a second analyzer from another build (e.g. main before levelling) takes
 * its turns too, with age+gender, +pose and all. Prints ms per photo, the ratio to
 * age+gender, and the extra ms per face.
 *   node dist/bench/attributes.js [--rounds 5] [--baseline /path/to/dist/src/index.js]
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createAnalyzer } from '../src/analyzer.js';
import { ATTRIBUTE_NAMES, DEFAULT_ATTRIBUTES } from '../src/attributes/registry.js';
import type { Analyzer, Attribute } from '../src/types.js';
import { SAMPLE_PHOTOS } from './sample-photos.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, baseline: { type: 'string' } } });
const rounds = Number(values.rounds);
const photos = await Promise.all(SAMPLE_PHOTOS.map((file) => readFile(file)));

// Age+gender, then each other attribute of the registry added, then all of them.
const EXTRA = ATTRIBUTE_NAMES.filter((name) => !DEFAULT_ATTRIBUTES.includes(name));
const VARIANTS: { name: string; attributes: Attribute[] }[] = [
  { name: 'age+gender', attributes: [...DEFAULT_ATTRIBUTES] },
  ...EXTRA.map((name) => ({ name: `+${name}`, attributes: [...DEFAULT_ATTRIBUTES, name] })),
  { name: 'all', attributes: [...DEFAULT_ATTRIBUTES, ...EXTRA] },
];

const analyzer = await createAnalyzer({ poolSize: 1, intraOpThreads: 1 });
type AnalyzerModule = { createAnalyzer(options: object): Promise<Analyzer> };
const baseline = values.baseline ? await ((await import(values.baseline)) as AnalyzerModule).createAnalyzer({ poolSize: 1, intraOpThreads: 1 }) : undefined;

const runs: { name: string; run: () => Promise<number> }[] = VARIANTS.map((v) => ({ name: v.name, run: () => readAll(analyzer, v.attributes) }));
if (baseline) {
  for (const v of VARIANTS.filter((v) => ['age+gender', '+pose', 'all'].includes(v.name))) runs.push({ name: `baseline ${v.name}`, run: () => readAll(baseline, v.attributes) });
}

let faces = 0;
/** Wall time of the six photos one at a time; counts faces. */
async function readAll(which: Analyzer, attributes: Attribute[]): Promise<number> {
  const start = performance.now();
  faces = 0;
  for (const photo of photos) faces += (await which.analyze(photo, { attributes })).faces.length;
  return performance.now() - start;
}

for (const r of runs) await r.run(); // warm-up
const times = new Map<string, number[]>(runs.map((r) => [r.name, []]));
for (let round = 0; round < rounds; round++) {
  // Each round in a different order, so no variant always follows the same one.
  const order = round % 2 === 0 ? runs : [...runs].reverse();
  for (const r of order) times.get(r.name)!.push(await r.run());
}
await analyzer.close();
await baseline?.close();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = median(times.get('age+gender')!);
console.log(`${rounds} rounds of ${photos.length} photos (${faces} faces), 1 worker x 1 thread; median of the rounds\n`);
console.log('| attributes | ms a photo | ratio to age+gender | extra ms a face |');
console.log('| --- | --- | --- | --- |');
for (const [name, xs] of times) {
  const m = median(xs);
  console.log(`| ${name} | ${(m / photos.length).toFixed(1)} | ${(m / base).toFixed(2)} | ${((m - base) / faces).toFixed(1)} |`);
}
