/**
 * What the imported-ONNX detector tests and bench share: where the
 * third-party files are (../shared/models/peers), why a test must skip,
 * sessions of prepared models, and photos to compare on (face-api's demo
 * photos and a spread of WIDER photos when ../shared has them).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { readWiderFace } from '../../src/eval/datasets/wider-face.js';
import { spreadSubset } from '../../src/eval/split.js';
import { sessionOptions } from '../../src/engine/session-options.js';
import { prepareYunetModel } from '../../src/pipeline/detectors/yunet-import.js';
import type { RgbImage } from '../../src/types.js';
import { openCvUnavailable } from './opencv-dnn.js';
import { REPO_ROOT } from './repo-root.js';

export const PEER_MODELS_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'models', 'peers');
export const WIDER_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'wider');
export const PEER_FILES = {
  yunet2022: path.join(PEER_MODELS_DIR, 'face_detection_yunet_2022mar.onnx'),
  yunet2023: path.join(PEER_MODELS_DIR, 'face_detection_yunet_2023mar.onnx'),
  yunetN: path.join(PEER_MODELS_DIR, 'yunet_n_dynamic.onnx'),
  ultraface: path.join(PEER_MODELS_DIR, 'ultraface-RFB-320.onnx'),
};

/** The reason to skip tests that need the peer models, or false. */
export function peerModelsSkip(): string | false {
  if (!existsSync(PEER_MODELS_DIR)) return `${PEER_MODELS_DIR} is absent (../shared holds the third-party ONNX detectors)`;
  return false;
}

/** The reason to skip tests that compare with OpenCV, or false. */
export function peerConformanceSkip(): string | false {
  return peerModelsSkip() || openCvUnavailable();
}

/** A session of a YuNet file as `import-onnx` would store it (input size freed where it can be). */
export async function yunetSession(file: string, threads = 1): Promise<ort.InferenceSession> {
  const { bytes } = await prepareYunetModel(await readFile(file));
  return ort.InferenceSession.create(bytes, sessionOptions(threads));
}

/** `limit` WIDER photo files spread over the set, or none when ../shared has no WIDER. */
export async function widerPhotoFiles(limit: number): Promise<string[]> {
  if (!existsSync(path.join(WIDER_DIR, 'gt.txt'))) return [];
  return spreadSubset(await readWiderFace(WIDER_DIR), limit).map((s) => s.file);
}

/** The largest distance between two boxes' corners (x, y, width, height form). */
export function cornerDistance(a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }): number {
  return Math.max(Math.abs(a.x - b.x), Math.abs(a.y - b.y), Math.abs(a.x + a.width - b.x - b.width), Math.abs(a.y + a.height - b.y - b.height));
}

/** A box clamped to the image, as FaceRead returns boxes. */
export function clampToImage(box: { x: number; y: number; width: number; height: number }, image: RgbImage) {
  const x1 = Math.min(Math.max(box.x, 0), image.width);
  const y1 = Math.min(Math.max(box.y, 0), image.height);
  const x2 = Math.min(Math.max(box.x + box.width, 0), image.width);
  const y2 = Math.min(Math.max(box.y + box.height, 0), image.height);
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}
