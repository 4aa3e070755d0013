/**
 * The age/gender stage's cost per photo for each crop and with mirror
 * averaging (face-api's network, one onnxruntime thread, float32), on the
 * faces FaceRead finds in the six sample photos. Run as a child process by
 * bench/run.ts; prints one JSON line. The variants take turns photo by
 * photo, so load from other jobs falls on all of them alike.
 *   node dist/bench/attribute-views.js [--rounds 10]
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { createAnalyzer } from '../src/analyzer.js';
import { convertFloat } from '../src/convert/quantize/calibration-inputs.js';
import ort from '../src/engine/ort.js';
import { sessionOptions } from '../src/engine/session-options.js';
import { findModel } from '../src/models/registry.js';
import { createFaceApiAgeGenderPredictor, type FaceApiAgeGenderOptions } from '../src/pipeline/attributes/age-gender-faceapi.js';
import type { Detection, RgbImage } from '../src/types.js';
import { SAMPLE_PHOTOS } from './sample-photos.js';

const VARIANTS: { name: string; options: FaceApiAgeGenderOptions }[] = [
  { name: 'padded', options: { crop: 'padded', mirror: false } },
  { name: 'padded + mirror', options: { crop: 'padded', mirror: true } },
  { name: 'photo-square', options: { crop: 'photo-square', mirror: false } },
  { name: 'photo-square + mirror', options: { crop: 'photo-square', mirror: true } },
];

export interface AttributeViewsResult {
  /** Faces found in each sample photo. */
  faces: number[];
  /** Per variant (in the order measured), ms for one photo's faces (crop + network + decoding), every round of every photo. */
  msPerPhoto: Record<string, number[]>;
}

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '10' } } });

async function rgb(file: string): Promise<RgbImage> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

// The faces the default profile finds (boxes in the photo's pixels: these photos are under the working side).
const analyzer = await createAnalyzer({ poolSize: 1, intraOpThreads: 1 });
const photos: { image: RgbImage; faces: Detection[] }[] = [];
for (const file of SAMPLE_PHOTOS) {
  const result = await analyzer.analyze(await readFile(file));
  photos.push({ image: await rgb(file), faces: result.faces.map(({ box, score, landmarks }) => ({ box, score, ...(landmarks && { landmarks }) })) });
}
await analyzer.close();

const session = await ort.InferenceSession.create(await convertFloat(findModel('faceapi-age-gender')), sessionOptions(1));
const predictors = VARIANTS.map((v) => ({ name: v.name, predictor: createFaceApiAgeGenderPredictor(session, v.options) }));
for (const { predictor } of predictors) for (const { image, faces } of photos) await predictor.predict(image, faces); // warm-up

const msPerPhoto: Record<string, number[]> = Object.fromEntries(predictors.map((p) => [p.name, []]));
for (let round = 0; round < Number(values.rounds); round++) {
  for (const { image, faces } of photos) {
    for (const { name, predictor } of predictors) {
      const started = performance.now();
      await predictor.predict(image, faces);
      msPerPhoto[name]!.push(performance.now() - started);
    }
  }
}
await session.release();
const result: AttributeViewsResult = { faces: photos.map((p) => p.faces.length), msPerPhoto };
console.log(JSON.stringify(result));
