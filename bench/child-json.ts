/** Runs a bench script in a child Node process and parses the JSON line it prints last. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The variables `npm start` sets before `node` (its malloc settings), read from package.json so
 * the benches follow whatever users get; every child (FaceRead and its peer alike) runs with them.
 * `BENCH_SERVER_ENV` ("NAME=value NAME2=value", or "-" for none) replaces them for an A/B run.
 */
export function npmStartEnv(): Record<string, string> {
  const override = process.env.BENCH_SERVER_ENV;
  const words = (override ?? startScript().split(/\s+node\s/)[0]!).split(/\s+/);
  return Object.fromEntries(words.filter((word) => /^[A-Z_][A-Z0-9_]*=/.test(word)).map((word) => [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]));
}

function startScript(): string {
  const json = JSON.parse(readFileSync(new URL(import.meta.url.endsWith('.js') ? '../../package.json' : '../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
  return json.scripts.start;
}

export const SERVICE_ENV = npmStartEnv();

export function runChild<T>(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<T> {
  const file = fileURLToPath(new URL(script, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], { env: { ...process.env, ...SERVICE_ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(`exit code ${code}`);
        resolve(JSON.parse(last) as T);
      } catch (error) {
        reject(new Error(`${script} ${args.join(' ')} failed (${(error as Error).message}):\n${err.slice(-2000)}`));
      }
    });
  });
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
