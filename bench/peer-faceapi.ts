/**
 * The peer users pick today: @vladmandic/face-api (ssd_mobilenetv1 + age/gender)
 * on TensorFlow.js's wasm backend. Run as a child process by bench/run.ts;
 * prints one JSON line with its timings.
 *   node dist/bench/peer-faceapi.js --rounds 2 [--threads 1]
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { SAMPLE_PHOTOS } from './sample-photos.js';

const require = createRequire(import.meta.url);
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '2' }, threads: { type: 'string', default: '1' } } });

const tf = require('@tensorflow/tfjs');
const wasm = require('@tensorflow/tfjs-backend-wasm');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
const modelDir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');

wasm.setWasmPaths(`${path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'))}/dist/`);
wasm.setThreadsCount?.(Number(values.threads));
await tf.setBackend('wasm');
await tf.ready();
await faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir);
await faceapi.nets.ageGenderNet.loadFromDisk(modelDir);
const ready = performance.now();

const options = new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 });
const decodeMs: number[] = [];
const analysisMs: number[] = [];
const faces: number[] = [];
let firstResultMs = 0;
const wallStart = performance.now();
for (let round = 0; round < Number(values.rounds); round++) {
  for (const file of SAMPLE_PHOTOS) {
    const t0 = performance.now();
    const { data, info } = await sharp(file).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const tensor = tf.tensor3d(new Uint8Array(data), [info.height, info.width, 3], 'int32');
    const t1 = performance.now();
    const found = await faceapi.detectAllFaces(tensor, options).withAgeAndGender();
    const t2 = performance.now();
    tf.dispose(tensor);
    firstResultMs ||= t2;
    decodeMs.push(t1 - t0);
    analysisMs.push(t2 - t1);
    if (round === 0) faces.push(found.length);
  }
}
const wallMs = performance.now() - wallStart;
console.log(JSON.stringify({
  backend: tf.getBackend(), readyMs: ready, firstResultMs, decodeMs, analysisMs, faces,
  photos: decodeMs.length, wallMs, maxRssMB: process.resourceUsage().maxRSS / 1024,
}));
