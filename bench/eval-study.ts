/**
 * Offline study for issue 5 on the caches bench/eval-models.ts wrote:
 * each model variant's accuracy on found faces, averages of variants
 * (ensembles), and per-model calibrations (age map, 80% range, Platt
 * gender) fitted on `dev`. The effect of fitting is judged by two-fold
 * cross-validation inside dev; the fitted tables (on all of dev) are
 * printed as JSON for src/pipeline/attributes/attribute-calibrations.ts.
 *
 *   node --import tsx bench/eval-study.ts 'faceapi|box' 'faceres|m1.2|align|flip'
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AttributeCalibration } from '../src/pipeline/attributes/attribute-calibration.js';
import { calibratePrediction } from '../src/pipeline/attributes/attribute-calibration.js';
import { bucketForAge } from '../src/pipeline/age-buckets.js';
import { AGE_BUCKETS } from '../src/types.js';

const CACHE = path.resolve('scratch/eval-cache');
const SETS = [['utkface', 'utkface-dev-400'], ['aaf', 'aaf-dev-300']] as const;

interface Row { set: string; age: number; male: boolean; preds: Record<string, { age?: number; male?: number }> }

async function loadRows(keys: string[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [set, tag] of SETS) {
    const faces = JSON.parse(await readFile(path.join(CACHE, `faces-${tag}.json`), 'utf8')) as { age: number; gender: string }[];
    const preds = JSON.parse(await readFile(path.join(CACHE, `preds-${tag}.json`), 'utf8')) as Record<string, ({ age?: number; male?: number } | null)[]>;
    faces.forEach((f, i) => {
      if (keys.some((k) => !preds[k]?.[i])) return;
      rows.push({ set, age: f.age, male: f.gender === 'male', preds: Object.fromEntries(keys.map((k) => [k, preds[k]![i]!])) });
    });
  }
  return rows;
}

const quantile = (values: number[], q: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))]!;
};
const KNOTS = [1, 4, 8, 12, 16, 20, 25, 30, 35, 40, 50, 60, 70];

function fitCalibration(pairs: { pred: number; truth: number; male?: number; isMale: boolean }[]): AttributeCalibration {
  // Age: windowed medians of the true age around each knot of the prediction, made non-decreasing.
  const from: number[] = [];
  const to: number[] = [];
  for (const k of KNOTS) {
    const w = Math.max(3, 0.2 * k);
    const near = pairs.filter((p) => Math.abs(p.pred - k) <= w).map((p) => p.truth);
    if (near.length < 8) continue;
    from.push(k);
    to.push(Math.max(to.at(-1) ?? -Infinity, quantile(near, 0.5)));
  }
  // AGE_MAP=0 keeps the model's years and fits only the range and the gender scaling.
  const calibration: AttributeCalibration = process.env.AGE_MAP === '0' ? {} : { age: { from, to } };
  const residuals = pairs.map((p) => ({ years: calibratePrediction({ ageYears: p.pred }, calibration).ageYears!, truth: p.truth }));
  calibration.ageRange = [13, 20, 40, 60, Infinity].map((below, i, all) => {
    const lowEdge = i === 0 ? -Infinity : all[i - 1]!;
    const inBand = residuals.filter((r) => r.years >= lowEdge && r.years < below).map((r) => r.truth - r.years);
    return { below, low: +quantile(inBand, 0.1).toFixed(2), high: +quantile(inBand, 0.9).toFixed(2) };
  });
  const gendered = pairs.filter((p) => p.male !== undefined);
  if (gendered.length > 0) {
    let a = 1;
    let b = 0;
    const x = gendered.map((p) => Math.log(Math.min(1 - 1e-6, Math.max(1e-6, p.male!)) / (1 - Math.min(1 - 1e-6, Math.max(1e-6, p.male!)))));
    for (let step = 0; step < 2000; step++) {
      let ga = 0;
      let gb = 0;
      gendered.forEach((p, i) => {
        const q = 1 / (1 + Math.exp(-(a * x[i]! + b)));
        const e = q - (p.isMale ? 1 : 0);
        ga += e * x[i]!;
        gb += e;
      });
      a -= (0.5 * ga) / gendered.length;
      b -= (0.5 * gb) / gendered.length;
    }
    calibration.gender = { scale: +a.toFixed(4), shift: +b.toFixed(4) };
  }
  return calibration;
}

function metrics(rows: { age: number; male: boolean; pred: { age?: number; male?: number; range?: [number, number] } }[]) {
  const mae = rows.reduce((s, r) => s + Math.abs(r.pred.age! - r.age), 0) / rows.length;
  const acc = rows.filter((r) => (r.pred.male! > 0.5) === r.male).length / rows.length;
  const bucket = rows.filter((r) => bucketForAge(r.pred.age!) === bucketForAge(r.age)).length / rows.length;
  const kids = rows.filter((r) => r.age <= 12);
  const kidMae = kids.reduce((s, r) => s + Math.abs(r.pred.age! - r.age), 0) / kids.length;
  const ranged = rows.filter((r) => r.pred.range);
  const cover = ranged.length ? ranged.filter((r) => r.age >= r.pred.range![0] && r.age <= r.pred.range![1]).length / ranged.length : NaN;
  return `MAE ${mae.toFixed(2)} (0-12: ${kidMae.toFixed(2)})  gender ${(100 * acc).toFixed(1)}%  8-bucket ${(100 * bucket).toFixed(1)}%${ranged.length ? `  range cover ${(100 * cover).toFixed(1)}%` : ''}`;
}

type Pred = { age?: number; male?: number; range?: [number, number] };
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
function ensemble(preds: Pred[]): Pred {
  const ages = preds.flatMap((p) => (p.age === undefined ? [] : [p.age]));
  const males = preds.flatMap((p) => (p.male === undefined ? [] : [p.male]));
  const out: Pred = {};
  if (ages.length) out.age = mean(ages);
  if (males.length) out.male = mean(males);
  if (preds.every((p) => p.range)) out.range = [mean(preds.map((p) => p.range![0])), mean(preds.map((p) => p.range![1]))];
  return out;
}

function applyCalibration(p: Pred, c: AttributeCalibration): Pred {
  const out = calibratePrediction({ ...(p.age !== undefined ? { ageYears: p.age } : {}), ...(p.male !== undefined ? { gender: p.male > 0.5 ? { label: 'male' as const, probability: p.male } : { label: 'female' as const, probability: 1 - p.male } } : {}) }, c);
  return { ...(out.ageYears !== undefined ? { age: out.ageYears } : {}), ...(out.gender ? { male: out.gender.label === 'male' ? out.gender.probability : 1 - out.gender.probability } : {}), ...(out.ageRange ? { range: out.ageRange } : {}) };
}

async function main() {
  const keys = process.argv.slice(2);
  const rows = await loadRows(keys);
  const half = (i: number) => i % 2;
  for (const set of ['utkface', 'aaf']) {
    const inSet = rows.filter((r) => r.set === set);
    console.log(`\n## ${set} dev (${inSet.length} found faces)`);
    for (const k of keys) console.log(`${k.padEnd(34)} ${metrics(inSet.map((r) => ({ ...r, pred: r.preds[k]! })))}`);
    if (keys.length > 1) console.log(`${'ensemble (mean)'.padEnd(34)} ${metrics(inSet.map((r) => ({ ...r, pred: ensemble(keys.map((k) => r.preds[k]!)) })))}`);
  }
  // Two-fold cross-validation inside dev: fit on one half (both sets pooled), judge on the other.
  const judged: { set: string; age: number; male: boolean; single: Record<string, Pred>; ens: Pred }[] = [];
  for (const fold of [0, 1]) {
    const fitRows = rows.filter((_, i) => half(i) !== fold);
    const calibrations = Object.fromEntries(keys.map((k) => [k, fitCalibration(fitRows.map((r) => ({ pred: r.preds[k]!.age ?? 0, truth: r.age, ...(r.preds[k]!.male !== undefined ? { male: r.preds[k]!.male } : {}), isMale: r.male })))]));
    rows.forEach((r, i) => {
      if (half(i) !== fold) return;
      const single = Object.fromEntries(keys.map((k) => [k, applyCalibration(r.preds[k]!, calibrations[k]!)]));
      judged.push({ set: r.set, age: r.age, male: r.male, single, ens: ensemble(Object.values(single)) });
    });
  }
  for (const set of ['utkface', 'aaf']) {
    const inSet = judged.filter((r) => r.set === set);
    console.log(`\n## ${set} dev, calibrated (2-fold cross-validation)`);
    for (const k of keys) console.log(`${(k + ' +cal').padEnd(34)} ${metrics(inSet.map((r) => ({ ...r, pred: r.single[k]! })))}`);
    if (keys.length > 1) console.log(`${'ensemble of calibrated'.padEnd(34)} ${metrics(inSet.map((r) => ({ ...r, pred: r.ens })))}`);
  }
  console.log('\n## calibrations fitted on all of dev');
  for (const k of keys) console.log(k, JSON.stringify(fitCalibration(rows.map((r) => ({ pred: r.preds[k]!.age ?? 0, truth: r.age, ...(r.preds[k]!.male !== undefined ? { male: r.preds[k]!.male } : {}), isMale: r.male })))));
  void AGE_BUCKETS;
}

await main();
