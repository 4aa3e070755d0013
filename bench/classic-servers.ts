/**
 * The two servers of `npm run bench:classic`, each started as its users
 * start it, with how to tell it is ready and how to read its answers:
 *
 * - the classic Flask app (bench/classic-app.py) on Debian's python3 with
 *   python3-opencv and python3-flask, serving the res10 TF detector (real
 *   weights) and the Levi-Hassner age and gender definitions;
 * - FaceRead by `npm start`'s own command line and environment, read from
 *   package.json when the bench runs (so it follows whatever `npm start`
 *   sets), run by /bin/sh in the project's root as npm runs scripts;
 * - the same FaceRead serving the classic app's own networks (imported with
 *   `models import-classic`) in compatibility mode (FACEREAD_API_COMPAT=classic),
 *   answering in the classic shapes: its answers compare with the classic
 *   app's directly.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEBIAN_PYTHON } from '../test/helpers/opencv-dnn.js';

export interface NetFiles {
  model: string;
  config: string;
}

/** What a server answered, reduced to what the bench compares. */
export type Verdict =
  | {
      kind: 'answer';
      faces: number;
      /** The face boxes in integer pixels, as JSON. */
      boxes: string;
      /** The answer without timings: equal answers mean equal faces, boxes and labels. */
      signature: string;
    }
  | { kind: 'failure'; message: string };

export interface ServerSpec {
  id: 'classic' | 'faceread' | 'faceread-classic';
  label: string;
  /** The command line, for the report. */
  commandLine: string;
  /** Settings that are not on the command line (environment), for the report. */
  settings: Record<string, string>;
  spawn(port: number, logFd: number): ChildProcess;
  /** Path polled with GET until `isReady(status)`. */
  readyPath: string;
  isReady(status: number): boolean;
  readyWithinMs: number;
  verdict(status: number, body: string): Verdict;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

const brief = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 160);

/** Debian's OpenCV and Flask versions, or the reason they cannot be used. */
export function classicRuntime(): { opencv: string; flask: string } | { missing: string } {
  try {
    const out = execFileSync(DEBIAN_PYTHON, ['-c', 'import cv2, flask, importlib.metadata as m; print(cv2.__version__, m.version("flask"))'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const [opencv = '?', flask = '?'] = out.trim().split(' ');
    return { opencv, flask };
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '');
    const which = /No module named '(\w+)'/.exec(stderr)?.[1];
    const pkg = which === 'flask' ? 'python3-flask' : which === 'cv2' || which === 'numpy' ? 'python3-opencv' : 'python3-opencv python3-flask';
    return { missing: `${DEBIAN_PYTHON} cannot import ${which ?? 'cv2 and flask'}; install Debian's packages: apt-get install -y ${pkg}` };
  }
}

/** Reads a classic-shaped answer (the classic app's, or FaceRead's in compatibility mode). */
function classicVerdict(status: number, body: string): Verdict {
  const json = parseJson(body) as { results?: unknown; error?: unknown } | undefined;
  if (status === 200 && Array.isArray(json?.results)) {
    const results = json.results as { bbox?: unknown }[];
    return { kind: 'answer', faces: results.length, boxes: JSON.stringify(results.map((r) => r.bbox)), signature: JSON.stringify(results) };
  }
  if (typeof json?.error === 'string') return { kind: 'failure', message: `${status} ${brief(json.error)}` };
  return { kind: 'failure', message: `${status} ${brief(body) || '(empty body)'}` };
}

export function classicServer(root: string, nets: { detector: NetFiles; age: NetFiles; gender: NetFiles }, uploadDir: string, opencv: string): ServerSpec {
  const script = path.join(root, 'bench', 'classic-app.py');
  const netArgs = (['detector', 'age', 'gender'] as const).flatMap((name) => [`--${name}-model`, nets[name].model, `--${name}-config`, nets[name].config]);
  const args = (port: number) => ['-u', script, '--host', '127.0.0.1', '--port', String(port), '--upload-dir', uploadDir, ...netArgs];
  return {
    id: 'classic',
    label: `classic Flask app (OpenCV ${opencv} DNN)`,
    commandLine: `${DEBIAN_PYTHON} ${args(0).join(' ')}`.replace('--port 0', '--port <port>'),
    settings: {},
    spawn: (port, logFd) => spawn(DEBIAN_PYTHON, args(port), { cwd: root, env: process.env, stdio: ['ignore', logFd, logFd] }),
    readyPath: '/',
    isReady: (status) => status > 0, // any answer: the models are loaded before Flask listens
    readyWithinMs: 120_000,
    verdict: classicVerdict,
  };
}

/** `npm start`'s script from package.json and the `KEY=value` settings it puts before its command. */
export function npmStart(root: string): { script: string; env: Record<string, string> } {
  const script = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts?: { start?: string } }).scripts?.start;
  if (!script) throw new Error('package.json has no "start" script');
  const env = Object.fromEntries([...script.matchAll(/(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
  return { script, env };
}

interface FaceReadFace {
  box?: { x: number; y: number; width: number; height: number };
  gender?: { label?: string };
  age?: { bucket?: string; years?: number };
}

export function faceReadServer(root: string): ServerSpec {
  const { script, env } = npmStart(root);
  // FACEREAD_* variables of the caller's environment reach `npm start` too; the report names them.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('FACEREAD_')) as [string, string][]);
  return {
    id: 'faceread',
    label: 'FaceRead `npm start`',
    commandLine: `sh -c '${script}' (npm start's script; PORT=<port>)`,
    settings: { ...inherited, ...env },
    // As npm runs a script: sh -c in the package's folder, node_modules/.bin first on PATH.
    spawn: (port, logFd) =>
      spawn('/bin/sh', ['-c', script], {
        cwd: root,
        env: { ...process.env, PATH: `${path.join(root, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}`, PORT: String(port) },
        stdio: ['ignore', logFd, logFd],
      }),
    readyPath: '/readyz',
    isReady: (status) => status === 200,
    readyWithinMs: 300_000, // a first start converts the models into the store
    verdict(status, body) {
      const json = parseJson(body) as { faces?: FaceReadFace[]; error?: { code?: string; message?: string } | string } | undefined;
      if (status === 200 && Array.isArray(json?.faces)) {
        const faces = json.faces.map((f) => [
          ...(f.box ? [f.box.x, f.box.y, f.box.width, f.box.height].map((v) => Math.round(v)) : []),
          f.gender?.label ?? null,
          f.age?.bucket ?? (f.age?.years === undefined ? null : Math.round(f.age.years)),
        ]);
        return { kind: 'answer', faces: faces.length, boxes: JSON.stringify(faces.map((f) => f.slice(0, 4))), signature: JSON.stringify(faces) };
      }
      const error = json?.error;
      if (typeof error === 'object' && error) return { kind: 'failure', message: `${status} ${error.code ?? ''}: ${brief(error.message ?? '')}` };
      if (typeof error === 'string') return { kind: 'failure', message: `${status} ${brief(error)}` };
      return { kind: 'failure', message: `${status} ${brief(body) || '(empty body)'}` };
    },
  };
}

/**
 * FaceRead by `npm start` serving the classic networks imported into `store` as profile `classic`, in
 * compatibility mode: the classic app's drop-in, read with the classic app's parser.
 */
export function faceReadClassicServer(root: string, store: string): ServerSpec {
  const base = faceReadServer(root);
  const compat = { FACEREAD_MODEL_DIR: store, FACEREAD_PROFILE: 'classic', FACEREAD_API_COMPAT: 'classic' };
  return {
    ...base,
    id: 'faceread-classic',
    label: 'FaceRead `npm start`, classic networks, FACEREAD_API_COMPAT=classic',
    settings: { ...base.settings, ...compat },
    spawn: (port, logFd) =>
      spawn('/bin/sh', ['-c', npmStart(root).script], {
        cwd: root,
        env: { ...process.env, ...compat, PATH: `${path.join(root, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}`, PORT: String(port) },
        stdio: ['ignore', logFd, logFd],
      }),
    verdict: classicVerdict,
  };
}
