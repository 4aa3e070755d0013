/**
 * Drives OpenCV's DNN module (Debian's python3-opencv) as the reference
 * runtime in conformance tests. `openCvUnavailable()` says why the tests
 * must skip (no Debian python3 or no cv2); `runOpenCv` runs a request
 * through `opencv-dnn-reference.py` and reads the outputs back.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './repo-root.js';

/** Debian's interpreter: the one python3-opencv installs cv2 into (not a pyenv python3 on PATH). */
export const DEBIAN_PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(REPO_ROOT, 'test', 'helpers', 'opencv-dnn-reference.py');

let availability: string | false | undefined;

/** A reason to skip (a message for the test output), or false when OpenCV is usable. */
export function openCvUnavailable(): string | false {
  if (availability !== undefined) return availability;
  if (!existsSync(DEBIAN_PYTHON)) return (availability = `${DEBIAN_PYTHON} is missing; install python3-opencv (apt-get install -y python3-opencv)`);
  try {
    execFileSync(DEBIAN_PYTHON, ['-c', 'import cv2, numpy'], { stdio: 'ignore' });
    availability = false;
  } catch {
    availability = `cv2 is not importable by ${DEBIAN_PYTHON}; install python3-opencv (apt-get install -y python3-opencv)`;
  }
  return availability;
}

export type OpenCvInput =
  | { raw: Float32Array; shape: number[] }
  | { rgb: Uint8Array; width: number; height: number; size: [number, number]; mean: number[]; scale?: number; roi?: [number, number, number, number]; swapRB?: boolean };

export interface OpenCvNet {
  framework: 'caffe' | 'tensorflow';
  model: string;
  config: string;
}

export interface OpenCvRun {
  input: OpenCvInput;
  outputs: string[];
}

export interface OpenCvResult {
  blob: { data: Float32Array; shape: number[] };
  outputs: Record<string, { data: Float32Array; shape: number[] }>;
}

const readFloats = (file: string) => {
  const bytes = readFileSync(file);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice();
};

/**
 * Runs `runs` on one OpenCV net and returns every requested output.
 *
 * @example
 *   const [r] = runOpenCv({ framework: 'caffe', config: 'deploy.prototxt', model: 'x.caffemodel' }, [{ input: { raw, shape: [1, 3, 300, 300] }, outputs: ['mbox_loc'] }]);
 */
export function runOpenCv(net: OpenCvNet, runs: OpenCvRun[]): { version: string; runs: OpenCvResult[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'faceread-opencv-'));
  try {
    const requestRuns = runs.map((run, i) => {
      const file = path.join(dir, `in-${i}.bin`);
      const { input } = run;
      if ('raw' in input) {
        writeFileSync(file, new Uint8Array(input.raw.buffer, input.raw.byteOffset, input.raw.byteLength));
        return { input: { raw: file, shape: input.shape }, outputs: run.outputs };
      }
      writeFileSync(file, input.rgb);
      const { rgb: _pixels, ...rest } = input;
      return { input: { ...rest, rgb: file }, outputs: run.outputs };
    });
    const request = { net, prefix: path.join(dir, 'out'), runs: requestRuns };
    const child = spawnSync(DEBIAN_PYTHON, [SCRIPT], { input: JSON.stringify(request), maxBuffer: 1 << 26 });
    if (child.status !== 0) throw new Error(`OpenCV reference failed: ${child.stderr.toString().slice(-2000)}`);
    const answer = JSON.parse(child.stdout.toString()) as {
      version: string;
      runs: { blob: { file: string; shape: number[] }; outputs: Record<string, { file: string; shape: number[] }> }[];
    };
    return {
      version: answer.version,
      runs: answer.runs.map((run) => ({
        blob: { data: readFloats(run.blob.file), shape: run.blob.shape },
        outputs: Object.fromEntries(Object.entries(run.outputs).map(([name, o]) => [name, { data: readFloats(o.file), shape: o.shape }])),
      })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
