/** Runs the `faceread` command as a user does (bin/faceread.js on this Node), never throwing on a non-zero exit. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './repo-root.js';

const run = promisify(execFile);
export const FACEREAD_BIN = path.join(REPO_ROOT, 'bin', 'faceread.js');

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * @example
 *   const { code, stdout } = await faceread(['models', 'list', '--model-dir', dir]);
 */
export async function faceread(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CliOutcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [FACEREAD_BIN, ...args], { env, maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as CliOutcome;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** `faceread` with `--model-dir <store()>` appended (the store may be set up in a `before` hook). */
export const withStore = (store: () => string) => (...args: string[]) => faceread([...args, '--model-dir', store()]);
