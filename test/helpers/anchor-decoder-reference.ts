/**
 * Runs `anchor-decoder-reference.py` (plain Python, no numpy): an
 * independent decoder for SCRFD and RetinaFace outputs to check FaceRead's
 * against. Skip first with `pythonUnavailable()`.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { DEBIAN_PYTHON } from './opencv-dnn.js';
import { REPO_ROOT } from './repo-root.js';

const SCRIPT = path.join(REPO_ROOT, 'test', 'helpers', 'anchor-decoder-reference.py');

export interface ReferenceRequest {
  family: 'scrfd' | 'retinaface';
  /** The tensor's size. */
  width: number;
  height: number;
  /** scrfd: score_8 ... bbox_32, kps_8 ...; retinaface: loc, conf, landms. */
  outputs: Record<string, ArrayLike<number>>;
  threshold: number;
  /** From input to photo pixels. */
  scale: [number, number];
  nms: number;
  topK?: number;
}

/** A reason to skip when Debian's python3 is missing, else false. */
export function pythonUnavailable(): string | false {
  const probe = spawnSync(DEBIAN_PYTHON, ['-c', 'import json, math'], { encoding: 'utf8' });
  return probe.status === 0 ? false : `${DEBIAN_PYTHON} is not available`;
}

/** The reference's faces, best first: [x1, y1, x2, y2, score, ...10 landmark values when there are any]. */
export function referenceFaces(request: ReferenceRequest): number[][] {
  const outputs = Object.fromEntries(Object.entries(request.outputs).map(([k, v]) => [k, Array.from(v)]));
  const run = spawnSync(DEBIAN_PYTHON, [SCRIPT], { input: JSON.stringify({ ...request, outputs }), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`${SCRIPT} failed: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { faces: number[][] }).faces;
}
