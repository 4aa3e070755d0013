/**
 * `npm start` and the container image start the server with the same malloc settings: the
 * README's A/B figures (`npm run bench:malloc`) hold for both only if they agree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/repo-root.js';


const MALLOC_VARIABLES = ['GLIBC_TUNABLES', 'LD_PRELOAD', 'MALLOC_CONF', 'MALLOC_ARENA_MAX'];

function startScriptVariables(): Record<string, string> {
  const start = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const words = start.split(/\s+node\s/)[0]!.split(/\s+/).filter((word) => word.includes('='));
  return Object.fromEntries(words.map((word) => [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]));
}

function containerVariables(): Record<string, string> {
  const text = readFileSync(path.join(REPO_ROOT, 'Containerfile'), 'utf8').replace(/\\\n/g, ' ');
  const found: Record<string, string> = {};
  for (const line of text.split('\n').filter((l) => /^ENV\s/.test(l))) {
    for (const match of line.matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)) found[match[1]!] = match[2]!;
  }
  return found;
}

test('npm start and the image set the same malloc variables', () => {
  const pick = (vars: Record<string, string>) => Object.fromEntries(MALLOC_VARIABLES.filter((name) => name in vars).map((name) => [name, vars[name]]));
  assert.deepEqual(pick(containerVariables()), pick(startScriptVariables()));
});
