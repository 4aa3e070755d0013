/**
 * What the OpenCV conformance tests share: where the reference network
 * definitions are (../shared/models/opencv), why a test must skip, photos
 * as RGB pixels, caffemodels with random (or, with FACEREAD_CAFFE_DIR, real)
 * weights, and the tolerance check.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { RgbImage } from '../../src/types.js';
import { randomCaffeModel, type RandomWeightOptions } from './caffe-model-writer.js';
import { openCvUnavailable } from './opencv-dnn.js';
import { REPO_ROOT } from './repo-root.js';

export const OPENCV_MODELS_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'models', 'opencv');
export const SAMPLE_PHOTOS = [1, 2, 4, 5].map((n) => path.join(REPO_ROOT, 'node_modules', '@vladmandic', 'face-api', 'demo', `sample${n}.jpg`));

/** The reason to skip the OpenCV conformance tests, or false. */
export function conformanceSkip(): string | false {
  if (!existsSync(OPENCV_MODELS_DIR)) return `${OPENCV_MODELS_DIR} is absent (../shared holds the OpenCV network definitions)`;
  return openCvUnavailable();
}

export async function loadRgb(file: string): Promise<RgbImage> {
  const { data, info } = await sharp(file).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** File names of the real caffemodels in $FACEREAD_CAFFE_DIR, by definition file. */
const REAL_WEIGHTS: Record<string, string> = {
  'deploy.prototxt': 'res10_300x300_ssd_iter_140000.caffemodel',
  'deploy_age.prototxt': 'age_net.caffemodel',
  'deploy_gender.prototxt': 'gender_net.caffemodel',
};

/**
 * A caffemodel for `definition`: the real one from $FACEREAD_CAFFE_DIR when present, else random
 * weights written once into the temp folder (same seed, same file).
 */
export function caffeModelFor(definition: string, options: RandomWeightOptions): { file: string; real: boolean } {
  const realDir = process.env.FACEREAD_CAFFE_DIR;
  const real = realDir ? path.join(realDir, REAL_WEIGHTS[definition] ?? '') : '';
  if (real && existsSync(real)) return { file: real, real: true };
  const dir = path.join(os.tmpdir(), 'faceread-random-caffemodels');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${definition}-seed${options.seed ?? 1}${options.legacy ? '-v1' : ''}-w${options.weightScale ?? 1}.caffemodel`);
  if (!existsSync(file)) {
    const text = readFileSync(path.join(OPENCV_MODELS_DIR, definition), 'utf8');
    writeFileSync(file, randomCaffeModel(text, definition, options));
  }
  return { file, real: false };
}

/**
 * numpy-style closeness with both tolerances relative: |a - b| <= rtol * (|b| + max|reference|).
 * Returns the worst ratio of difference to allowance (<= 1 passes).
 */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, what: string): number {
  assert.equal(actual.length, expected.length, `${what}: ${actual.length} values, OpenCV gives ${expected.length}`);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const ratio = Math.abs(actual[i]! - expected[i]!) / (rtol * (Math.abs(expected[i]!) + scale) || Number.MIN_VALUE);
    if (ratio > worst) (worst = ratio), (at = i);
  }
  assert.ok(worst <= 1, `${what}: value ${at} is ${actual[at]} but OpenCV gives ${expected[at]} (over the ${rtol} relative tolerance by ${worst.toFixed(2)}x)`);
  return worst;
}
