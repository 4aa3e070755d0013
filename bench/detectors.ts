/**
 * `npm run bench:detectors`: FaceRead's YuNet runner against OpenCV's own
 * `cv2.FaceDetectorYN` (Debian's python3-opencv 4.6, which reads YuNet
 * 2022mar), side by side in one run, on the same decoded photos at the same
 * input sizes (the photo padded to multiples of 32, its longer side capped at
 * YUNET_MAX_SIDE), both on 2 threads. Times detection alone (resize,
 * padding, network and decoding; decoding the JPEG is left out on both
 * sides). Passes alternate between the two so a busy machine slows both
 * alike; each photo's first run (a new input size) is left out as warm-up.
 * Needs ../shared/models/peers; run it under the measurement lock:
 *
 *   flock /tmp/faceread-measure.lock npm run bench:detectors -- [--rounds 3] [--passes 2] [--wider 20] [--threads 2]
 *
 * Prints a table and writes bench/results/detectors-<time>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeImage } from '../src/image/decode.js';
import { YUNET_NMS_IOU, YUNET_TOP_K } from '../src/pipeline/detectors/yunet-decode.js';
import { createYunetDetector, YUNET_MAX_SIDE, type YunetDetector } from '../src/pipeline/detectors/yunet.js';
import type { RgbImage } from '../src/types.js';
import { openCvUnavailable } from '../test/helpers/opencv-dnn.js';
import { detectWithOpenCv } from '../test/helpers/opencv-faces.js';
import { PEER_FILES, peerModelsSkip, widerPhotoFiles, yunetSession } from '../test/helpers/peer-detectors.js';
import { percentile } from './child-json.js';
import { SAMPLE_PHOTOS } from './sample-photos.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, here.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
const option = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROUNDS = option('rounds', 3);
const PASSES = option('passes', 2);
const WIDER_PHOTOS = option('wider', 20);
const THREADS = option('threads', 2);
/** FaceDetectorYN's default threshold, used by both sides. */
const MIN_SCORE = 0.9;

interface Contender {
  name: string;
  /** Per photo, every timed run (ms). */
  ms: number[][];
  faces: number;
}

const timesOf = (c: Contender) => c.ms.map((runs) => percentile(runs, 50));
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

async function main() {
  const missing = peerModelsSkip() || openCvUnavailable();
  if (missing) throw new Error(`bench:detectors needs the peer models and OpenCV: ${missing}`);
  const files = [...SAMPLE_PHOTOS, ...(await widerPhotoFiles(WIDER_PHOTOS))];
  const photos: RgbImage[] = await Promise.all(files.map(async (f) => (await decodeImage(await readFile(f), { maxPixels: 50e6, workingSide: 4096 })).image));
  const models = [
    ['FaceRead YuNet 2023mar', PEER_FILES.yunet2023],
    ['FaceRead YuNet 2022mar', PEER_FILES.yunet2022],
    ['FaceRead yunet_n', PEER_FILES.yunetN],
  ] as const;
  const faceread: { detector: YunetDetector; contender: Contender }[] = [];
  for (const [name, file] of models) faceread.push({ detector: createYunetDetector(await yunetSession(file, THREADS)), contender: { name, ms: photos.map(() => []), faces: 0 } });
  const opencv: Contender = { name: 'cv2.FaceDetectorYN 2022mar', ms: photos.map(() => []), faces: 0 };
  const inputs = photos.map((image) => ({ image, inputWidth: 0, inputHeight: 0 }));

  for (let pass = 0; pass < PASSES; pass++) {
    for (const { detector, contender } of faceread) {
      contender.faces = 0;
      for (const [i, image] of photos.entries()) {
        for (let round = 0; round <= ROUNDS; round++) {
          const start = performance.now();
          const found = await detector.detect(image, { minScore: MIN_SCORE, maxFaces: YUNET_TOP_K });
          const ms = performance.now() - start;
          if (round > 0) contender.ms[i]!.push(ms);
          else contender.faces += found.length;
        }
        inputs[i]!.inputWidth = detector.lastInput!.width;
        inputs[i]!.inputHeight = detector.lastInput!.height;
      }
    }
    const answer = detectWithOpenCv({ family: 'yunet', model: PEER_FILES.yunet2022, scoreThreshold: MIN_SCORE, nmsThreshold: YUNET_NMS_IOU, topK: YUNET_TOP_K, threads: THREADS, rounds: ROUNDS + 1 }, inputs);
    opencv.faces = 0;
    answer.photos.forEach(({ ms, faces }, i) => {
      opencv.ms[i]!.push(...ms.slice(1));
      opencv.faces += faces.length;
    });
    if (pass === 0) console.log(`OpenCV ${answer.version}`);
  }

  const megapixels = mean(inputs.map((p) => (Math.ceil(p.inputWidth / 32) * 32 * Math.ceil(p.inputHeight / 32) * 32) / 1e6));
  const reference = mean(timesOf(opencv));
  const rows = [...faceread.map((f) => f.contender), opencv].map((c) => {
    const perPhoto = timesOf(c);
    return { name: c.name, meanMs: mean(perPhoto), p50Ms: percentile(perPhoto, 50), p95Ms: percentile(perPhoto, 95), faces: c.faces, speedupVsOpenCv: reference / mean(perPhoto) };
  });
  console.log(
    `\n${photos.length} photos (${SAMPLE_PHOTOS.length} face-api demo, ${photos.length - SAMPLE_PHOTOS.length} WIDER), longer side capped at ${YUNET_MAX_SIDE}, ` +
      `mean input ${megapixels.toFixed(2)} Mpx; ${THREADS} threads each; ${PASSES} passes x ${ROUNDS} timed rounds; min score ${MIN_SCORE}; ` +
      `${os.cpus().length} CPUs (${os.cpus()[0]?.model}); load average ${os.loadavg()[0]!.toFixed(1)}`,
  );
  console.log('| detector | mean ms/photo | p50 ms | p95 ms | faces | speed vs cv2.FaceDetectorYN |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.name} | ${r.meanMs.toFixed(1)} | ${r.p50Ms.toFixed(1)} | ${r.p95Ms.toFixed(1)} | ${r.faces} | ${r.speedupVsOpenCv.toFixed(2)}x |`);
  const dir = path.join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `detectors-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const perPhoto = files.map((f, i) => ({ file: path.basename(f), input: [inputs[i]!.inputWidth, inputs[i]!.inputHeight], ms: Object.fromEntries([...faceread.map((x) => x.contender), opencv].map((c) => [c.name, percentile(c.ms[i]!, 50)])) }));
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), threads: THREADS, rounds: ROUNDS, passes: PASSES, maxSide: YUNET_MAX_SIDE, minScore: MIN_SCORE, cpus: os.cpus().length, loadAverage: os.loadavg(), rows, perPhoto }, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(ROOT, file)}`);
}

await main();
