/**
 * Starts the real server process (src/server/start.ts, or its compiled
 * copy) on a free port of 127.0.0.1 with the environment given, waits
 * until its models are loaded, and gives its URL, pid, log and exit.
 * Only the child this helper started is ever signalled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_STORE_DIR } from './test-store.js';

const here = dirname(fileURLToPath(import.meta.url));
const compiled = import.meta.url.endsWith('.js');
const root = compiled ? join(here, '..', '..', '..') : join(here, '..', '..');

export interface ServerProcess {
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** Everything the server logged so far. */
  log(): string;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number | null>;
  /** Sends SIGKILL if it is still running (for `finally` blocks). */
  kill(): void;
}

/** The environment `npm start` sets before node (its `KEY=value` prefix), so tests measure the same process. */
export function npmStartEnv(): Record<string, string> {
  const start = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  return Object.fromEntries([...start.matchAll(/(?:^|\s)([A-Z_]+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
}

export async function startServerProcess(env: Record<string, string> = {}, readyWithinMs = 120_000): Promise<ServerProcess> {
  const args = compiled ? [join(root, 'dist', 'src', 'server', 'start.js')] : ['--import', 'tsx', join(root, 'src', 'server', 'start.ts')];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, FACEREAD_MODEL_DIR: TEST_STORE_DIR, ...npmStartEnv(), PORT: '0', HOST: '127.0.0.1', FACEREAD_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const deadline = Date.now() + readyWithinMs;
  while (!/FaceRead ready at/.test(log)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      kill();
      throw new Error(`the server did not become ready:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const url = /FaceRead listening at (http:\/\/[^\s"]+)/.exec(log)![1]!;
  return { url, port: Number(new URL(url).port), pid: child.pid!, child, log: () => log, exited, kill };
}
