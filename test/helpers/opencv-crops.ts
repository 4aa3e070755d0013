/**
 * Face crops made by Debian's OpenCV (`cv2.warpAffine`, `cv2.estimateAffinePartial2D`,
 * `cv2.dnn.blobFromImage`) through `opencv-crop-reference.py`: the independent computation the
 * affine face crops are checked against. Skip with `openCvUnavailable()` when it cannot run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Point, RgbImage } from '../../src/types.js';
import { DEBIAN_PYTHON } from './opencv-dnn.js';
import { REPO_ROOT } from './repo-root.js';

const SCRIPT = path.join(REPO_ROOT, 'test', 'helpers', 'opencv-crop-reference.py');

export type CropRun = { size: [number, number]; blob?: { mean: number; scale: number; swapRB: boolean } } & (
  | { matrix: readonly number[] }
  | { box: [x1: number, y1: number, x2: number, y2: number]; margin: number }
  | { fit: { from: readonly Point[]; to: readonly Point[] } }
);

export interface OpenCvCrop {
  /** The photo-to-crop matrix OpenCV used (row-major 2x3). */
  matrix: number[];
  /** RGB bytes of the crop. */
  crop: Uint8Array;
  /** blobFromImage of the crop (NCHW floats), when asked for. */
  blob?: Float32Array;
}

/** Runs every crop of `image` through OpenCV. */
export function openCvCrops(image: RgbImage, runs: readonly CropRun[]): { version: string; runs: OpenCvCrop[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'faceread-opencv-crop-'));
  try {
    const rgb = path.join(dir, 'photo.rgb');
    writeFileSync(rgb, image.data);
    const request = { rgb, width: image.width, height: image.height, prefix: path.join(dir, 'out'), runs };
    const child = spawnSync(DEBIAN_PYTHON, [SCRIPT], { input: JSON.stringify(request), maxBuffer: 1 << 26 });
    if (child.status !== 0) throw new Error(`OpenCV crop reference failed: ${child.stderr.toString().slice(-2000)}`);
    const answer = JSON.parse(child.stdout.toString()) as { version: string; runs: { matrix: number[]; crop: string; blob?: string }[] };
    return {
      version: answer.version,
      runs: answer.runs.map((run) => {
        const blob = run.blob ? readFileSync(run.blob) : undefined;
        return {
          matrix: run.matrix,
          crop: new Uint8Array(readFileSync(run.crop)),
          ...(blob ? { blob: new Float32Array(blob.buffer, blob.byteOffset, blob.byteLength / 4).slice() } : {}),
        };
      }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
