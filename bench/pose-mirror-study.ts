/**
 * Study (not part of `npm run bench`): how far head pose on a mirrored photo
 * is from the mirror of the photo's pose, for several ways of finding the 68
 * landmarks the pose is fitted to. Runs the default profile's detector and
 * landmark runners directly on photos decoded as the analyzer decodes a PNG
 * and on their mirror images, pairs each face with its mirrored twin, and
 * prints |pitch - twin's|, |yaw + twin's| and |roll + twin's| (degrees):
 * per photo for the six sample photos, over all faces for a set of
 * ../shared (a check on photos the choices were not made on).
 *   node dist/bench/pose-mirror-study.js [--set samples|aaf|wider] [--limit 150] [--min-face 64] [--only name,name]
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { headPose, type HeadPose } from '../src/attributes/head-pose.js';
import { LANDMARKS_68_INPUT_SIZE } from '../src/convert/faceapi/landmarks-68.js';
import { loadRunners } from '../src/engine/load-runners.js';
import ort from '../src/engine/ort.js';
import { createSession } from '../src/engine/session-options.js';
import { faceCropBatch, writeMirrored } from '../src/image/crop.js';
import { decodeImage } from '../src/image/decode.js';
import { resolveStoredProfile } from '../src/models/prepare.js';
import { toImagePoints } from '../src/pipeline/landmarks/landmarks-68-faceapi.js';
import { pointsFromSquare, squareAround, writeSquareSamples, type CropSquare } from '../src/pipeline/landmarks/mirror-exact-crop.js';
import { renumberMirrored } from '../src/pipeline/landmarks/mirror-pairs-68.js';
import type { Box, Detection, Point, RgbImage } from '../src/types.js';
import { SAMPLE_PHOTOS } from './sample-photos.js';

const { values: args } = parseArgs({
  options: { set: { type: 'string', default: 'samples' }, limit: { type: 'string', default: '150' }, only: { type: 'string' }, 'min-face': { type: 'string', default: '64' } },
});

const profile = await resolveStoredProfile('default', process.env.FACEREAD_MODEL_DIR);
const runners = await loadRunners(profile, { intraOpThreads: 1, executionProvider: 'cpu' });
const finder = runners.landmarks!.runner;
const locate68 = finder.locate68!.bind(finder);
const refine68 = finder.refine68!.bind(finder);
// The network itself, for the crops the runner does not make.
const session = await createSession(profile.landmarks!.path, 1);
const SIZE = LANDMARKS_68_INPUT_SIZE;
const SLOT = SIZE * SIZE * 3;

/** As the analyzer's workers decode the photo sent as PNG (the pose test sends PNGs; no reduced decode). */
async function decode(file: string, mirrored: boolean): Promise<RgbImage> {
  let pipeline = sharp(file);
  if (mirrored) pipeline = pipeline.flop();
  const png = await pipeline.png().toBuffer();
  return (await decodeImage(png, { maxPixels: 50_000_000, workingSide: 2048, detectorSide: runners.detector.inputSide })).image;
}

const run = async (data: Float32Array, count: number) => (await session.run({ image: new ort.Tensor('float32', data, [count, SIZE, SIZE, 3]) })).landmarks!.data as Float32Array;
const average = (a: Point[], b: Point[]) => a.map((p, k): Point => [(p[0] + b[k]![0]) / 2, (p[1] + b[k]![1]) / 2]);

/** Each face's points on face-api's crop of `boxes` and on that crop's exact mirror image (mirrored back): [plain, mirrored]. */
async function faceApiBothViews(image: RgbImage, boxes: readonly Box[]): Promise<[Point[][], Point[][]]> {
  const n = boxes.length;
  const { data: one, crops } = faceCropBatch(image, boxes, SIZE);
  const data = new Float32Array(2 * one.length);
  data.set(one);
  for (let i = 0; i < n; i++) writeMirrored(data, i * SLOT, (n + i) * SLOT, SIZE);
  const raw = await run(data, 2 * n);
  const flipped = raw.slice(n * 136);
  for (let k = 0; k < flipped.length; k += 2) flipped[k] = 1 - flipped[k]!;
  return [crops.map((crop, i) => toImagePoints(raw, i, crop)), crops.map((crop, i) => renumberMirrored(toImagePoints(flipped, i, crop)))];
}

/** Points on mirror-exact squares (mirror-exact-crop.ts), averaged with the squares' mirror images or not. */
async function squarePass(image: RgbImage, squares: readonly CropSquare[], averaged: boolean): Promise<Point[][]> {
  const n = squares.length;
  const data = new Float32Array((averaged ? 2 : 1) * n * SLOT);
  squares.forEach((square, i) => {
    writeSquareSamples(image, square, SIZE, data, i * SLOT);
    if (averaged) writeMirrored(data, i * SLOT, (n + i) * SLOT, SIZE);
  });
  const raw = await run(data, (averaged ? 2 : 1) * n);
  const plain = squares.map((square, i) => pointsFromSquare(raw, i * 136, square, SIZE, false));
  if (!averaged) return plain;
  return plain.map((p, i) => average(p, renumberMirrored(pointsFromSquare(raw, (n + i) * 136, squares[i]!, SIZE, true))));
}

/** A way of finding each face's 68 points, given the detector's faces. */
type Variant = (image: RgbImage, faces: Detection[]) => Promise<Point[][]>;

/** face-api's crop again, of the square around the first points (the first idea tried: no averaging). */
const faceApiSquare =
  (margin: number): Variant =>
  async (image, faces) => {
    const points = await locate68(image, faces);
    const boxes = points.map((p) => {
      const s = squareAround(p, margin);
      return { x: s.cx - s.side / 2, y: s.cy - s.side / 2, width: s.side, height: s.side };
    });
    return locate68(image, boxes.map((box) => ({ box, score: 1 })));
  };

/** `passes` passes on mirror-exact squares around the last points. */
const squares =
  (margin: number, passes: number, averaged: boolean): Variant =>
  async (image, faces) => {
    let points = await locate68(image, faces);
    for (let k = 0; k < passes; k++) points = await squarePass(image, points.map((p) => squareAround(p, margin)), averaged);
    return points;
  };

const variants: Record<string, Variant> = {
  'first points (face-api crop of the detector box)': (image, faces) => locate68(image, faces),
  'first points averaged with the mirrored crop': async (image, faces) => {
    const [plain, mirrored] = await faceApiBothViews(image, faces.map((f) => f.box));
    return plain.map((p, i) => average(p, mirrored[i]!));
  },
  'face-api crop of a square 1.4 around the first points': faceApiSquare(1.4),
  'face-api crop of a square 1.5 around the first points': faceApiSquare(1.5),
};
for (const margin of [1.4, 1.5]) {
  variants[`mirror-exact square ${margin}, not averaged, 1 pass`] = squares(margin, 1, false);
  variants[`mirror-exact square ${margin}, not averaged, 2 passes`] = squares(margin, 2, false);
  for (const passes of [1, 2, 3]) variants[`mirror-exact square ${margin}, averaged, ${passes} pass${passes > 1 ? 'es' : ''}`] = squares(margin, passes, true);
}
/** The first points averaged with face-api's mirrored crop (one more run), then `passes` averaged passes on squares. */
const mirroredFirst =
  (margin: number, passes: number): Variant =>
  async (image, faces) => {
    const [plain, mirrored] = await faceApiBothViews(image, faces.map((f) => f.box));
    let points = plain.map((p, i) => average(p, mirrored[i]!));
    for (let k = 0; k < passes; k++) points = await squarePass(image, points.map((p) => squareAround(p, margin)), true);
    return points;
  };
variants['first points averaged with the mirrored crop, then 1 averaged pass on a square 1.4'] = mirroredFirst(1.4, 1);
variants['first points averaged with the mirrored crop, then 1 averaged pass on a square 1.5'] = mirroredFirst(1.5, 1);
variants['refine68 (the runner: as adopted)'] = async (image, faces) => refine68(image, await locate68(image, faces));

/** The photos: the six samples, or some of a ../shared set, evenly spread. */
async function photoFiles(): Promise<string[]> {
  if (args.set === 'samples') return SAMPLE_PHOTOS;
  const root = path.resolve('..', 'shared', 'data', args.set!, 'images');
  const files: string[] = [];
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) if (entry.isFile() && entry.name.endsWith('.jpg')) files.push(path.join(entry.parentPath, entry.name));
  files.sort();
  const limit = Number(args.limit);
  return files.length <= limit ? files : Array.from({ length: limit }, (_, k) => files[Math.floor((k * files.length) / limit)]!);
}
const files = await photoFiles();
const minFace = Number(args['min-face']);

interface Stat {
  pitch: number[];
  yaw: number[];
  roll: number[];
}
/** Per variant, per photo. */
const stats: Record<string, Stat[]> = {};
/** `b` is the mirrored twin's pose (yaw and roll flip), or the same face's on a mirrored crop already mirrored back (`sameFrame`). */
const record = (name: string, n: number, a: HeadPose, b: HeadPose, sameFrame: boolean) => {
  const s = ((stats[name] ??= [])[n] ??= { pitch: [], yaw: [], roll: [] });
  const sign = sameFrame ? -1 : 1;
  s.pitch.push(Math.abs(a.pitch - b.pitch));
  s.yaw.push(Math.abs(a.yaw + sign * b.yaw));
  s.roll.push(Math.abs(a.roll + sign * b.roll));
};
const centre = (b: Box): Point => [b.x + b.width / 2, b.y + b.height / 2];
const wanted = (name: string) => !args.only || args.only.split(',').some((o) => name.includes(o));

for (const [n, file] of files.entries()) {
  const upright = await decode(file, false);
  const mirrored = await decode(file, true);
  const options = { minScore: 0.5, maxFaces: 100 };
  const facesU = (await runners.detector.detectWithLink(upright, options)).faces.filter((f) => Math.max(f.box.width, f.box.height) >= minFace);
  const facesM = (await runners.detector.detectWithLink(mirrored, options)).faces;
  if (facesU.length === 0) continue;
  const twins = facesU.map((f) => {
    const [x, y] = centre(f.box);
    return facesM.findIndex((g) => Math.hypot(centre(g.box)[0] - (upright.width - x), centre(g.box)[1] - y) < f.box.width / 2);
  });
  // The network alone: one crop and its exact mirror image (no detector, no resampling between them).
  const own = 'the network: face-api crop against its exact mirror image';
  if (wanted(own)) {
    const [plain, flipped] = await faceApiBothViews(upright, facesU.map((f) => f.box));
    plain.forEach((p, i) => record(own, n, headPose(p), headPose(flipped[i]!), true));
  }
  for (const [name, variant] of Object.entries(variants)) {
    if (!wanted(name)) continue;
    const pu = await variant(upright, facesU);
    const pm = await variant(mirrored, facesM);
    twins.forEach((t, i) => {
      if (t >= 0) record(name, n, headPose(pu[i]!), headPose(pm[t]!), false);
    });
  }
  if (args.set === 'samples') console.error(`sample${n + 1}: ${facesU.length} faces, ${facesM.length} mirrored, twins ${twins}`);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const f1 = (x: number) => x.toFixed(1);
const perPhoto = args.set === 'samples';
console.log(`${args.set}: ${files.length} photos, faces of ${minFace} px or more; |pitch - twin's|, |yaw + twin's|, |roll + twin's| in degrees`);
console.log(`| landmarks |${perPhoto ? ' pitch mean/worst per photo |' : ''} faces | pitch mean, p90, worst | yaw mean, p90, worst | roll mean, p90, worst |`);
console.log(`| --- |${perPhoto ? ' --- |' : ''} --- | --- | --- | --- |`);
for (const [name, per] of Object.entries(stats)) {
  const present = per.filter((s): s is Stat => s !== undefined && s.pitch.length > 0);
  const all = (k: keyof Stat) => present.flatMap((s) => s[k]);
  const cells = perPhoto ? ` ${present.map((s) => `${f1(mean(s.pitch))}/${f1(Math.max(...s.pitch))}`).join(' ')} |` : '';
  const summary = (k: keyof Stat) => `${f1(mean(all(k)))}, ${f1(quantile(all(k), 0.9))}, ${f1(Math.max(...all(k)))}`;
  console.log(`| ${name} |${cells} ${all('pitch').length} | ${summary('pitch')} | ${summary('yaw')} | ${summary('roll')} |`);
}
