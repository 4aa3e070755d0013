/**
 * `npm run calibrate:int8`: measures the activation ranges of the built-in
 * networks on calibration photos (face-api's six demo photos and variants
 * made from them) and writes them to src/convert/quantize/calibration-ranges.ts.
 * Run it again after any converter change that renames tensors; a test fails
 * when the table no longer covers a network.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureBiasCorrections } from '../src/convert/quantize/bias-correction.js';
import { collectRanges } from '../src/convert/quantize/collect-ranges.js';
import { quantizeModel } from '../src/convert/quantize/quantize-model.js';
import { convertFloat, recordCalibrationInputs, samplePhotoPaths, CALIBRATION_VARIANTS } from '../src/convert/quantize/calibration-inputs.js';
import { findModel } from '../src/models/registry.js';

const MODELS = ['faceapi-ssd-mobilenetv1', 'faceapi-landmarks-68', 'faceapi-age-gender', 'faceapi-tiny-face-detector'];
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const target = path.join(repo, 'src/convert/quantize/calibration-ranges.ts');

const started = performance.now();
const inputs = await recordCalibrationInputs(samplePhotoPaths());
const table: Record<string, unknown> = {};
for (const id of MODELS) {
  const feeds = inputs.get(id)!;
  const items = feeds.reduce((n, feed) => n + Object.values(feed)[0]!.dims[0]!, 0);
  const model = findModel(id);
  const fp32 = await convertFloat(model);
  const ranges = await collectRanges(fp32, feeds);
  const entry: Record<string, unknown> = { inputs: items, ranges };
  const correct = model.int8?.correctBias ?? [];
  if (correct.length > 0) {
    // Measured on the int8 model as the registry makes it, without corrections (they only touch the listed convs' biases).
    const int8 = quantizeModel(fp32, ranges, { method: model.int8!.method, keepFloat: model.int8!.keepFloat }).bytes;
    entry.biasCorrections = await measureBiasCorrections(fp32, int8, correct, feeds, model.int8!.correctBiasWeighting);
  }
  table[id] = entry;
  console.log(`${id}: ${items} inputs, ${Object.keys(ranges).length} tensors${correct.length ? `, bias corrections for ${correct.length} convs` : ''}`);
}
const header = `/**
 * Activation ranges of the built-in networks, measured by \`npm run calibrate:int8\`
 * (bench/calibrate-int8.ts) on face-api's six demo photos x ${CALIBRATION_VARIANTS.length} variants
 * (${CALIBRATION_VARIANTS.map((v) => v.name).join(', ')}), through the float32 pipeline.
 * Derived numbers only: per tensor, [low, high] for each range method. Generated; do not edit.
 */
import type { TensorRanges } from './activation-ranges.js';

export interface CalibratedModel {
  /** Network inputs measured (photos for detectors, face crops for the face networks). */
  inputs: number;
  ranges: Record<string, TensorRanges>;
  /** Per-channel bias corrections of the convs a model's int8 spec lists (bias-correction.ts). */
  biasCorrections?: Record<string, number[]>;
}

`;
const body = `export const CALIBRATION_RANGES: Readonly<Record<string, CalibratedModel>> = ${JSON.stringify(table, null, 1)};\n`;
// Number lists on one line each: [low, high] pairs and per-channel corrections.
const compact = body.replace(/\[(\s*-?[\d.e+-]+\s*,?)+\]/g, (list) => `[${list.slice(1, -1).split(',').map((v) => v.trim()).join(', ')}]`);
await writeFile(target, header + compact);
console.log(`wrote ${path.relative(repo, target)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
