/**
 * `node dist/bench/int8-study.js [--model id] [--method p99.99]`: how far
 * each built-in network's int8 outputs are from float32 on held-out photo
 * variants (not the calibration ones), for every range method with all
 * convolutions quantised, then for one convolution quantised at a time
 * (the sensitive layers), then with the most sensitive ones kept in
 * float32. Prints tables and writes bench/results/int8-study-<time>.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { InferenceSession } from 'onnxruntime-node';
import ort from '../src/engine/ort.js';
import { RANGE_METHODS, type RangeMethod } from '../src/convert/quantize/activation-ranges.js';
import { CALIBRATION_RANGES } from '../src/convert/quantize/calibration-ranges.js';
import { convertFloat, recordCalibrationInputs, samplePhotoPaths, type PhotoVariant } from '../src/convert/quantize/calibration-inputs.js';
import type { Feeds } from '../src/convert/quantize/collect-ranges.js';
import { convNodeNames, quantizeModel } from '../src/convert/quantize/quantize-model.js';
import { findModel } from '../src/models/registry.js';
import { optimizedOpCounts } from '../test/helpers/optimized-graph.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', multiple: true },
    method: { type: 'string' },
    'keep-max': { type: 'string', default: '4' },
    // Only compare these float32 sets (each a comma-separated list of Conv names, or a regular expression with `re:`).
    keep: { type: 'string', multiple: true },
    // SSD only: rank layers by their effect on the box encodings instead of the scores.
    'box-score': { type: 'boolean', default: false },
  },
});

/** Variants the calibration never saw. */
const HELD_OUT: readonly PhotoVariant[] = [
  { name: '800px', longSide: 800 },
  { name: '1280px-mirrored', longSide: 1280, mirror: true },
  { name: 'centre-crop-0.8-mirrored', centreCrop: 0.8, mirror: true },
];

type Outputs = Record<string, Float32Array>[];

/** One number per model family saying how far int8 is from float32 (lower is better), plus details. */
function compare(id: string, fp32: Outputs, int8: Outputs): { score: number; detail: Record<string, number> } {
  const pairs = fp32.map((f, i) => [f, int8[i]!] as const);
  if (id === 'faceapi-ssd-mobilenetv1') {
    let diff = 0, n = 0, flips = 0, positives = 0, boxDiff = 0;
    for (const [f, q] of pairs) {
      for (let a = 0; a < f.scores!.length; a++) {
        const fs = f.scores![a]!, qs = q.scores![a]!;
        if ((fs > 0.5) !== (qs > 0.5)) flips++;
        if (fs > 0.5) positives++;
        if (Math.max(fs, qs) > 0.1) {
          diff += Math.abs(fs - qs);
          n++;
          for (let k = 0; k < 4; k++) boxDiff += Math.abs(f.boxes![a * 4 + k]! - q.boxes![a * 4 + k]!);
        }
      }
    }
    return { score: values['box-score'] ? boxDiff / (4 * n) : diff / n, detail: { scoreMAE: diff / n, boxEncodingMAE: boxDiff / (4 * n), thresholdFlips: flips, fp32Positives: positives } };
  }
  if (id === 'faceapi-tiny-face-detector') {
    let diff = 0, n = 0, flips = 0;
    const sig = (x: number) => 1 / (1 + Math.exp(-x));
    for (const [f, q] of pairs) {
      for (let i = 4; i < f.grid!.length; i += 5) {
        const fs = sig(f.grid![i]!), qs = sig(q.grid![i]!);
        if ((fs > 0.5) !== (qs > 0.5)) flips++;
        if (Math.max(fs, qs) > 0.1) { diff += Math.abs(fs - qs); n++; }
      }
    }
    return { score: diff / Math.max(n, 1), detail: { scoreMAE: diff / Math.max(n, 1), thresholdFlips: flips } };
  }
  if (id === 'faceapi-age-gender') {
    let age = 0, gender = 0, flips = 0, n = 0;
    for (const [f, q] of pairs) {
      for (let i = 0; i < f.age!.length; i++, n++) {
        age += Math.abs(f.age![i]! - q.age![i]!);
        gender += Math.abs(f.gender![i * 2]! - q.gender![i * 2]!);
        if ((f.gender![i * 2]! > 0.5) !== (q.gender![i * 2]! > 0.5)) flips++;
      }
    }
    // A year of age and 0.1 of gender probability weigh about the same.
    return { score: age / n + (10 * gender) / n, detail: { ageAbsDiffYears: age / n, maleProbAbsDiff: gender / n, genderFlips: flips, faces: n } };
  }
  let diff = 0, n = 0;
  for (const [f, q] of pairs) for (let i = 0; i < f.landmarks!.length; i++, n++) diff += Math.abs(f.landmarks![i]! - q.landmarks![i]!);
  // In pixels of the 112 px crop.
  return { score: (112 * diff) / n, detail: { pointAbsDiffPx112: (112 * diff) / n } };
}

async function outputsOf(bytes: Uint8Array, feeds: readonly Feeds[]): Promise<Outputs> {
  const session: InferenceSession = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all', intraOpNumThreads: 2 });
  const all: Outputs = [];
  for (const feed of feeds) {
    const out = await session.run(feed);
    all.push(Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array])));
  }
  await session.release();
  return all;
}

const ids = values.model ?? ['faceapi-ssd-mobilenetv1', 'faceapi-landmarks-68', 'faceapi-age-gender', 'faceapi-tiny-face-detector'];
const inputs = await recordCalibrationInputs(samplePhotoPaths(), HELD_OUT);
const report: Record<string, unknown> = {};
for (const id of ids) {
  const feeds = inputs.get(id)!;
  const fp32Bytes = await convertFloat(findModel(id));
  const fp32 = await outputsOf(fp32Bytes, feeds);
  const { ranges } = CALIBRATION_RANGES[id]!;
  const convs = convNodeNames(fp32Bytes);
  const run = async (method: RangeMethod, keepFloat: readonly string[]) => {
    const { bytes } = quantizeModel(fp32Bytes, ranges, { method, keepFloat });
    return compare(id, fp32, await outputsOf(bytes, feeds));
  };
  console.log(`\n${id}: ${feeds.length} held-out inputs, ${convs.length} convolutions`);
  if (values.keep) {
    for (const set of values.keep) {
      const keepFloat = set.startsWith('re:') ? convs.filter((c) => new RegExp(set.slice(3)).test(c)) : set.split(',').filter(Boolean);
      const method = (values.method as RangeMethod | undefined) ?? 'p99.999';
      console.log(`  keeping [${keepFloat.join(', ')}] (${method}): ${JSON.stringify((await run(method, keepFloat)).detail)}`);
    }
    continue;
  }
  const methods: Record<string, unknown> = {};
  for (const method of RANGE_METHODS) {
    const result = await run(method, []);
    methods[method] = result;
    console.log(`  all quantised, ${method.padEnd(8)} ${JSON.stringify(result.detail)}`);
  }
  const method = (values.method as RangeMethod | undefined) ?? RANGE_METHODS.reduce((best, m) => ((methods[m] as { score: number }).score < (methods[best] as { score: number }).score ? m : best));
  const { bytes } = quantizeModel(fp32Bytes, ranges, { method, keepFloat: [] });
  const counts = await optimizedOpCounts(bytes);
  console.log(`  chosen ${method}; optimised graph: ${counts.get('QLinearConv') ?? 0} QLinearConv, ${counts.get('Conv') ?? 0} Conv, ${counts.get('FusedConv') ?? 0} FusedConv`);
  const single: { conv: string; score: number }[] = [];
  for (const conv of convs) {
    const result = await run(method, convs.filter((c) => c !== conv));
    single.push({ conv, score: result.score });
  }
  single.sort((a, b) => b.score - a.score);
  console.log('  one convolution quantised at a time, most sensitive first:');
  for (const { conv, score } of single.slice(0, 8)) console.log(`    ${score.toFixed(5)}  ${conv}`);
  const keeping: { keepFloat: string[]; detail: Record<string, number> }[] = [];
  for (let k = 1; k <= Number(values['keep-max']); k++) {
    const keepFloat = single.slice(0, k).map((s) => s.conv);
    const result = await run(method, keepFloat);
    keeping.push({ keepFloat, detail: result.detail });
    console.log(`  keeping ${k} in float32: ${JSON.stringify(result.detail)}`);
  }
  report[id] = { inputs: feeds.length, methods, method, optimizedOps: Object.fromEntries(counts), single, keeping };
}
await mkdir('bench/results', { recursive: true });
const file = `bench/results/int8-study-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
await writeFile(file, JSON.stringify(report, null, 2));
console.log(`\nwrote ${file}`);
