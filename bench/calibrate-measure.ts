/**
 * `npm run calibrate:measure`: the closing figures of `faceread calibrate`
 * (issue 12). For UTKFace and All-Age-Faces in ../shared/data: run the
 * `default` profile once over every photo (uncalibrated; cached as JSON in
 * --cache), fit a calibration on the dev half exactly as `faceread
 * calibrate --split dev` does (holding 30% of dev out for its own check),
 * and report on the test half: the base profile, its own calibration, and
 * the other data set's calibration (the cross check). With --live the two
 * calibrations are saved as profiles in the store and the test halves are
 * analysed again through them (`faceread eval --models <profile>`'s path),
 * to show the saved profile gives the figures computed here.
 *
 *   flock /tmp/faceread-measure.lock npm run calibrate:measure -- [--data ../shared/data] [--cache /tmp/calib-runs] [--live]
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { applyCalibration } from '../src/calibrate/fit-calibration.js';
import { runCalibration } from '../src/calibrate/run-calibration.js';
import { openDataset } from '../src/eval/datasets/open-dataset.js';
import type { AttributeSample } from '../src/eval/datasets/dataset-types.js';
import { evaluateDataset } from '../src/eval/evaluate-dataset.js';
import { attributeReport, type AttributeMetrics } from '../src/eval/metrics/attribute-metrics.js';
import { runAttributeEvaluation, type NamedAttributeOutcome } from '../src/eval/run-evaluation.js';
import { selectSplit } from '../src/eval/split.js';
import { appliedCalibration, type ProfileCalibration } from '../src/models/profile-calibration.js';
import { saveCalibratedProfile } from '../src/models/saved-profiles.js';
import { ModelStore, defaultStoreDir } from '../src/models/store.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: path.resolve('../shared/data') },
    cache: { type: 'string', default: '/tmp/faceread-calibrate-measure' },
    'model-dir': { type: 'string', default: defaultStoreDir() },
    base: { type: 'string', default: 'default' },
    live: { type: 'boolean', default: false },
  },
});
const modelDir = values['model-dir'];
const base = values.base;
const SETS = [
  { id: 'aaf', spec: `aaf:${path.join(values.data, 'aaf')}`, profile: 'measure-aaf' },
  { id: 'utk', spec: `utkface:${path.join(values.data, 'utkface')}`, profile: 'measure-utk' },
];

/** Every photo's uncalibrated outcome under the base profile, from the cache or a run (an eval --json file also serves). */
async function rawOutcomes(id: string, spec: string, samples: readonly AttributeSample[]): Promise<NamedAttributeOutcome[]> {
  const file = path.join(values.cache, `raw-${id}.json`);
  if (existsSync(file)) {
    const cached = JSON.parse(await readFile(file, 'utf8')) as { profile?: string; outcomes: NamedAttributeOutcome[][] | NamedAttributeOutcome[] };
    const outcomes = (Array.isArray(cached.outcomes[0]) ? cached.outcomes[0] : cached.outcomes) as NamedAttributeOutcome[];
    if (outcomes.length === samples.length) return outcomes;
  }
  console.error(`${spec}: running ${base} over ${samples.length} photos (uncalibrated)`);
  const run = await runAttributeEvaluation(samples, { analyzer: { profile: base, modelDir, uncalibrated: true }, pad: 0, concurrency: 8 });
  await mkdir(values.cache, { recursive: true });
  await writeFile(file, `${JSON.stringify({ profile: base, outcomes: run.outcomes })}\n`);
  return run.outcomes;
}

const line = (label: string, m: AttributeMetrics) =>
  `| ${label} | ${m.faces} | ${m.ageMae.toFixed(2)} | ${m.ageBias.toFixed(2)} | ${(100 * m.genderAccuracy).toFixed(1)}% | ${m.genderEce?.toFixed(3) ?? 'n/a'} | ${m.rangeCoverage === undefined ? 'n/a' : `${(100 * m.rangeCoverage).toFixed(1)}%`} | ${m.rangeMeanWidth?.toFixed(1) ?? 'n/a'} |`;
const bandLine = (label: string, report: ReturnType<typeof attributeReport>) =>
  `| ${label} | ${Object.entries(report.byBand).map(([band, m]) => `${band}: ${m.ageMae.toFixed(1)}`).join(', ')} |`;

const fitted = new Map<string, ProfileCalibration>();
const tests = new Map<string, NamedAttributeOutcome[]>();
const rows: string[] = [];
const bandRows: string[] = [];
const json: Record<string, unknown> = { base, createdAt: new Date().toISOString(), sets: {} };
for (const set of SETS) {
  const dataset = await openDataset(set.spec);
  if (dataset.task !== 'attributes') throw new Error(`${set.spec} is not an attribute data set`);
  const raw = await rawOutcomes(set.id, set.spec, dataset.samples);
  const byName = new Map(raw.map((o) => [o.name, o]));
  const run = await runCalibration({ dataset: set.spec, split: 'dev', analyzer: { profile: base, modelDir }, outcomes: raw });
  fitted.set(set.id, run.calibration);
  tests.set(set.id, selectSplit(dataset.samples, 'test').map((s) => byName.get(s.name)!));
  console.error(`${set.id}: fitted on ${run.calibration.source.fitPhotos} dev photos; dev held-out check: ${run.comparison.worse.length === 0 ? 'not worse' : run.comparison.worse.join('; ')}`);
  (json.sets as Record<string, unknown>)[set.id] = { calibration: run.calibration, devHeldOut: { before: run.comparison.before.overall, after: run.comparison.after.overall } };
}
for (const set of SETS) {
  const test = tests.get(set.id)!;
  const baseReport = attributeReport(test);
  rows.push(line(`${set.id} test, ${base}`, baseReport.overall));
  bandRows.push(bandLine(`${set.id} test, ${base}`, baseReport));
  const results: Record<string, AttributeMetrics> = { base: baseReport.overall };
  for (const from of SETS) {
    const report = attributeReport(applyCalibration(test, appliedCalibration(from.profile, fitted.get(from.id)!)));
    const label = `${set.id} test, calibrated on ${from.id} dev${from.id === set.id ? '' : ' (cross)'}`;
    rows.push(line(label, report.overall));
    bandRows.push(bandLine(label, report));
    results[`calibrated-${from.id}`] = report.overall;
  }
  ((json.sets as Record<string, Record<string, unknown>>)[set.id]!).test = results;
}
const header = ['| run | faces | age MAE | age bias | gender acc. | gender ECE | 80% range coverage | range width |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'];
console.log([...header, ...rows].join('\n'));
console.log(['', '| run | age MAE by true age band |', '| --- | --- |', ...bandRows].join('\n'));

if (values.live) {
  // The same figures through the saved profiles and the analyzer (rounding aside).
  const store = new ModelStore(modelDir);
  const live: string[] = [];
  for (const set of SETS) {
    await saveCalibratedProfile(store, set.profile, base, fitted.get(set.id)!);
    const { report } = await evaluateDataset({ dataset: set.spec, split: 'test', pads: [0], analyzer: { profile: set.profile, modelDir }, concurrency: 8 });
    const variant = report.variants[0]!;
    live.push(line(`${set.id} test, --models ${set.profile} (live, calibrated: ${variant.models?.calibrated ?? 'no'})`, variant.attributes!.overall));
  }
  console.log(['', ...header, ...live].join('\n'));
  json.live = live;
}
await mkdir(values.cache, { recursive: true });
await writeFile(path.join(values.cache, 'calibrate-measure.json'), `${JSON.stringify(json, null, 1)}\n`);
