/**
 * `npm run bench:precision`: inference time of each built-in network in
 * float32 and int8, at 1 and 2 onnxruntime threads, with FaceRead's own
 * session settings, in one run. Inputs are a demo photo resized to each
 * network's input (detectors) or a batch of face-sized crops (face nets).
 * Prints a table and writes bench/results/precision-<time>.json.
 *   npm run bench:precision -- [--runs 40] [--faces 4]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import ort from '../src/engine/ort.js';
import { sessionOptions } from '../src/engine/session-options.js';
import { convertFloat, samplePhotoPaths } from '../src/convert/quantize/calibration-inputs.js';
import { quantizeBuiltIn } from '../src/convert/quantize/quantize-builtin.js';
import { findModel } from '../src/models/registry.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '40' }, faces: { type: 'string', default: '4' } } });
const RUNS = Number(values.runs);
const FACES = Number(values.faces);

/** [batch, side, side, 3] float pixels from sample1.jpg. */
async function pixels(side: number, batch: number): Promise<InstanceType<typeof ort.Tensor>> {
  const { data } = await sharp(samplePhotoPaths()[0]!).removeAlpha().resize(side, side, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  const one = Float32Array.from(data);
  const all = new Float32Array(one.length * batch);
  for (let b = 0; b < batch; b++) all.set(one, b * one.length);
  return new ort.Tensor('float32', all, [batch, side, side, 3]);
}

const NETWORKS = [
  { id: 'faceapi-ssd-mobilenetv1', side: 512, batch: 1, what: 'a photo' },
  { id: 'faceapi-tiny-face-detector', side: 416, batch: 1, what: 'a photo' },
  { id: 'faceapi-landmarks-68', side: 112, batch: FACES, what: `${FACES} faces` },
  { id: 'faceapi-age-gender', side: 112, batch: FACES, what: `${FACES} faces` },
];
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const rows: { id: string; what: string; precision: string; threads: number; medianMs: number; p90Ms: number; bytes: number }[] = [];
for (const net of NETWORKS) {
  const model = findModel(net.id);
  const fp32 = await convertFloat(model);
  const int8 = quantizeBuiltIn(model.id, model.int8!, fp32);
  const feed = { image: await pixels(net.side, net.batch) };
  for (const threads of [1, 2]) {
    for (const [precision, bytes] of [['fp32', fp32], ['int8', int8]] as const) {
      const session = await ort.InferenceSession.create(bytes, sessionOptions(threads));
      for (let i = 0; i < 5; i++) await session.run(feed);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        await session.run(feed);
        times.push(performance.now() - started);
      }
      await session.release();
      rows.push({ id: net.id, what: net.what, precision, threads, medianMs: percentile(times, 50), p90Ms: percentile(times, 90), bytes: bytes.length });
    }
  }
}

console.log(`\n${os.cpus()[0]?.model ?? 'cpu'}, ${os.availableParallelism()} cores, ${RUNS} runs each (median / p90 ms)\n`);
console.log('| network | input | threads | fp32 | int8 | speed-up |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const net of NETWORKS) {
  for (const threads of [1, 2]) {
    const f = rows.find((r) => r.id === net.id && r.threads === threads && r.precision === 'fp32')!;
    const q = rows.find((r) => r.id === net.id && r.threads === threads && r.precision === 'int8')!;
    const fmt = (r: typeof f) => `${r.medianMs.toFixed(1)} / ${r.p90Ms.toFixed(1)}`;
    console.log(`| ${net.id} | ${net.what} | ${threads} | ${fmt(f)} | ${fmt(q)} | ${(f.medianMs / q.medianMs).toFixed(2)}x |`);
  }
}
await mkdir('bench/results', { recursive: true });
const file = `bench/results/precision-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
await writeFile(file, JSON.stringify({ date: new Date().toISOString(), cpu: os.cpus()[0]?.model, cores: os.availableParallelism(), runs: RUNS, rows }, null, 2));
console.log(`\nwrote ${file}`);
