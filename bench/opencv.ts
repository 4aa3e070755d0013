/**
 * `npm run bench:opencv`: FaceRead against OpenCV DNN driven from Python the
 * way the classic age-gender service runs it, side by side in one run, on
 * the same photos, the same networks and the same thread count.
 *
 * Networks: the res10 detector from TensorFlow with its real weights
 * (../shared/models/opencv), Levi-Hassner age and gender from their real
 * definitions with random weights (or everything real from $FACEREAD_CAFFE_DIR).
 * Reports per-photo latency p50/p95 (decode included on both sides) and
 * photos/s for 1 and 2 threads; writes bench/results/opencv-<time>.json.
 *
 * Options: --rounds N (default 5 passes over the six photos).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAnalyzer } from '../src/analyzer.js';
import { runImportCommand, type ImportRequest } from '../src/cli/import-command.js';
import { caffeModelFor, OPENCV_MODELS_DIR } from '../test/helpers/opencv-fixtures.js';
import { DEBIAN_PYTHON, openCvUnavailable } from '../test/helpers/opencv-dnn.js';
import { percentile } from './child-json.js';
import { SAMPLE_PHOTOS } from './sample-photos.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, here.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 5;
const MIN_SCORE = 0.5;
// --int8: the networks are also imported with int8 versions, and FaceRead runs once more with them.
const withInt8 = process.argv.includes('--int8');

interface NetFiles {
  framework: 'caffe' | 'tensorflow';
  model: string;
  config: string;
}

function networks(): { detector: NetFiles; age: NetFiles; gender: NetFiles; weights: string } {
  const def = (name: string) => path.join(OPENCV_MODELS_DIR, name);
  const age = caffeModelFor('deploy_age.prototxt', { seed: 21, legacy: true, weightScale: 0.7 });
  const gender = caffeModelFor('deploy_gender.prototxt', { seed: 22, legacy: true, weightScale: 0.7 });
  const realDetector = caffeModelFor('deploy.prototxt', { seed: 11, weightScale: 0.5, gain: { pattern: /mbox_(conf|loc)$/, factor: 0.05 } });
  const detector: NetFiles = realDetector.real
    ? { framework: 'caffe', model: realDetector.file, config: def('deploy.prototxt') }
    : { framework: 'tensorflow', model: def('opencv_face_detector_uint8.pb'), config: def('opencv_face_detector.pbtxt') };
  return {
    detector,
    age: { framework: 'caffe', model: age.file, config: def('deploy_age.prototxt') },
    gender: { framework: 'caffe', model: gender.file, config: def('deploy_gender.prototxt') },
    weights: `detector ${realDetector.real ? 'Caffe res10 (real)' : 'TF res10 (real weights)'}; age/gender ${age.real ? 'real' : 'random'} weights`,
  };
}

interface Run {
  runtime: string;
  threads: number;
  setup: string;
  p50: number;
  p95: number;
  photosPerSecond: number;
  faces: number;
}

function summarise(runtime: string, threads: number, setup: string, latencies: number[], seconds: number, faces: number): Run {
  return { runtime, threads, setup, p50: percentile(latencies, 50), p95: percentile(latencies, 95), photosPerSecond: latencies.length / seconds, faces };
}

function runOpenCv(nets: ReturnType<typeof networks>, threads: number): Run {
  const request = { ...nets, threads, photos: SAMPLE_PHOTOS, rounds, minScore: MIN_SCORE };
  const child = spawnSync(DEBIAN_PYTHON, [path.join(ROOT, 'bench', 'opencv-driver.py')], { input: JSON.stringify(request), maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`OpenCV driver failed: ${child.stderr.toString().slice(-1500)}`);
  const out = JSON.parse(child.stdout.toString().trim().split('\n').pop()!) as { latenciesMs: number[]; totalS: number; faces: number; version: string };
  return summarise(`OpenCV ${out.version} DNN (Python)`, threads, `cv2.setNumThreads(${threads}), one photo at a time`, out.latenciesMs, out.totalS, out.faces);
}

/** One photo at a time (latency), or `inFlight` photos at once over `poolSize` workers (throughput). */
async function runFaceRead(modelDir: string, poolSize: number, intraOpThreads: number, inFlight: number, precision: 'fp32' | 'int8' = 'fp32'): Promise<Run> {
  const analyzer = await createAnalyzer({ profile: 'opencv-bench', modelDir, poolSize, intraOpThreads, precision, defaults: { minScore: MIN_SCORE } });
  const photos = SAMPLE_PHOTOS.map((p) => readFileSync(p));
  for (const photo of photos) await analyzer.analyze(photo);
  const latencies: number[] = [];
  let faces = 0;
  const queue = Array.from({ length: rounds }, () => photos).flat();
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    for (let photo = queue.shift(); photo; photo = queue.shift()) {
      const t = performance.now();
      const found = (await analyzer.analyze(photo)).faces.length;
      latencies.push(performance.now() - t);
      faces += found;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  await analyzer.close();
  return summarise(`FaceRead (ONNX Runtime${precision === 'int8' ? ', int8' : ''})`, poolSize * intraOpThreads, `${poolSize} worker(s) x ${intraOpThreads} ORT thread(s), ${inFlight} in flight`, latencies, seconds, faces);
}

async function main(): Promise<void> {
  const skip = existsSync(OPENCV_MODELS_DIR) ? openCvUnavailable() : `${OPENCV_MODELS_DIR} is absent`;
  if (skip) {
    console.error(`bench:opencv skipped: ${skip}`);
    return;
  }
  const nets = networks();
  const modelDir = path.join(os.tmpdir(), 'faceread-bench-opencv-store');
  const requests: ImportRequest[] = (['detector', 'age', 'gender'] as const).map((slot) => ({
    slot,
    format: nets[slot].framework,
    files: nets[slot].framework === 'tensorflow' ? [nets[slot].model, nets[slot].config] : [nets[slot].config, nets[slot].model],
  }));
  await runImportCommand(requests, 'opencv-bench', modelDir, { int8: withInt8 });
  const runs: Run[] = [];
  for (const threads of [1, 2]) {
    runs.push(runOpenCv(nets, threads));
    runs.push(await runFaceRead(modelDir, 1, threads, 1));
    if (threads > 1) runs.push(await runFaceRead(modelDir, threads, 1, threads));
    if (withInt8) {
      runs.push(await runFaceRead(modelDir, 1, threads, 1, 'int8'));
      if (threads > 1) runs.push(await runFaceRead(modelDir, threads, 1, threads, 'int8'));
    }
  }
  console.log(`\n${SAMPLE_PHOTOS.length} photos x ${rounds} rounds; ${nets.weights}; ${os.cpus().length} CPUs (${os.cpus()[0]?.model}); load average ${os.loadavg()[0]!.toFixed(1)}`);
  console.log(`${'runtime'.padEnd(28)} ${'threads'.padStart(7)}  ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'photos/s'.padStart(9)} ${'faces'.padStart(6)}  setup`);
  for (const r of runs) {
    console.log(`${r.runtime.padEnd(28)} ${String(r.threads).padStart(7)}  ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ${r.photosPerSecond.toFixed(2).padStart(9)} ${String(r.faces).padStart(6)}  ${r.setup}`);
  }
  for (const threads of [1, 2]) {
    const cv = runs.find((r) => r.runtime.startsWith('OpenCV') && r.threads === threads)!;
    for (const int8 of withInt8 ? [false, true] : [false]) {
      const fr = runs.filter((r) => r.runtime.startsWith('FaceRead') && r.runtime.includes('int8') === int8 && r.threads === threads);
      const best = Math.max(...fr.map((r) => r.photosPerSecond));
      console.log(`${threads} thread(s): FaceRead${int8 ? ' int8' : ''} ${(best / cv.photosPerSecond).toFixed(2)}x OpenCV's photos/s, p50 ${(cv.p50 / fr[0]!.p50).toFixed(2)}x lower`);
    }
  }
  const dir = path.join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `opencv-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), rounds, photos: SAMPLE_PHOTOS.length, networks: nets, cpus: os.cpus().length, loadAverage: os.loadavg(), runs }, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(ROOT, file)}`);
}

await main();
