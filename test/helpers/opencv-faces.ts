/**
 * OpenCV's own face detectors (cv2.FaceDetectorYN for YuNet, cv2.dnn for
 * UltraFace) run from Debian's python3-opencv through
 * `opencv-face-reference.py`: the reference for conformance tests and the
 * peer in `bench:detectors`. Skip first with `openCvUnavailable()`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RgbImage } from '../../src/types.js';
import { DEBIAN_PYTHON } from './opencv-dnn.js';
import { REPO_ROOT } from './repo-root.js';

const SCRIPT = path.join(REPO_ROOT, 'test', 'helpers', 'opencv-face-reference.py');

export interface OpenCvFacePhoto {
  image: RgbImage;
  /** The size OpenCV resizes the photo to before detection. */
  inputWidth: number;
  inputHeight: number;
}

export interface OpenCvFaceRequest {
  family: 'yunet' | 'ultraface';
  model: string;
  scoreThreshold: number;
  nmsThreshold: number;
  topK: number;
  threads?: number;
  /** Detections per photo; each is timed. */
  rounds?: number;
}

/** One face as OpenCV gives it, in photo pixels. */
export interface OpenCvFace {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Five [x, y] points (zeros for UltraFace). */
  landmarks: [number, number][];
  score: number;
}

export interface OpenCvFaceAnswer {
  version: string;
  photos: { faces: OpenCvFace[]; ms: number[] }[];
}

/**
 * Runs OpenCV's detector on every photo.
 *
 * @example
 *   const { photos } = detectWithOpenCv({ family: 'yunet', model, scoreThreshold: 0.5, nmsThreshold: 0.3, topK: 5000 }, [{ image, inputWidth: 640, inputHeight: 480 }]);
 */
export function detectWithOpenCv(request: OpenCvFaceRequest, photos: readonly OpenCvFacePhoto[]): OpenCvFaceAnswer {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'faceread-opencv-faces-'));
  try {
    const specs = photos.map((photo, i) => {
      const file = path.join(dir, `photo-${i}.rgb`);
      writeFileSync(file, photo.image.data);
      return { rgb: file, width: photo.image.width, height: photo.image.height, inputWidth: photo.inputWidth, inputHeight: photo.inputHeight };
    });
    const child = spawnSync(DEBIAN_PYTHON, [SCRIPT], { input: JSON.stringify({ ...request, photos: specs }), maxBuffer: 1 << 28 });
    if (child.status !== 0) throw new Error(`OpenCV face reference failed: ${child.stderr.toString().slice(-2000)}`);
    const answer = JSON.parse(child.stdout.toString()) as { version: string; photos: { faces: number[][]; ms: number[] }[] };
    return {
      version: answer.version,
      photos: answer.photos.map(({ faces, ms }) => ({
        ms,
        faces: faces.map((row) => ({
          x: row[0]!,
          y: row[1]!,
          width: row[2]!,
          height: row[3]!,
          landmarks: [0, 1, 2, 3, 4].map((k) => [row[4 + 2 * k]!, row[5 + 2 * k]!] as [number, number]),
          score: row[14]!,
        })),
      })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
