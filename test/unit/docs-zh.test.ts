/**
 * The Chinese guide (docs/README.zh-CN.md) must not fall behind the code:
 * every error code with its HTTP status, every server setting, every option
 * of `analyze` and `eval`, every `models` command and every createAnalyzer
 * option appear in it, as they do in the English README; and neither guide
 * writes alternatives as a shell pipe (`models list | prepare`).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { ANALYZER_DEFAULTS } from '../../src/analyzer.js';
import { ERROR_CODES } from '../../src/errors.js';
import { SERVER_CONFIG_SCHEMA } from '../../src/server/config.js';
import { REPO_ROOT } from '../helpers/repo-root.js';

const readDoc = (file: string) => readFile(path.join(REPO_ROOT, file), 'utf8');

test('the Chinese guide lists every error code with its HTTP status', async () => {
  const guide = await readDoc('docs/README.zh-CN.md');
  for (const [code, { statusCode }] of Object.entries(ERROR_CODES)) {
    assert.match(guide, new RegExp(`\\| \`${code}\` \\| ${statusCode} \\|`), `${code} (${statusCode}) is missing from docs/README.zh-CN.md`);
  }
});

test('both guides name every server setting', async () => {
  for (const file of ['README.md', 'docs/README.zh-CN.md']) {
    const guide = await readDoc(file);
    for (const [name, { env }] of Object.entries(SERVER_CONFIG_SCHEMA)) {
      assert.ok(guide.includes(`\`${env}\``), `${env} (${name}) is missing from ${file}`);
    }
  }
});

test('the English README links the Chinese guide', async () => {
  assert.match(await readDoc('README.md'), /\]\(docs\/README\.zh-CN\.md\)/);
});

/** The long options and subcommands a command's --help lists (the compiled CLI, as users run it). */
function helpOf(...command: string[]): { options: string[]; commands: string[] } {
  const help = execFileSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'faceread.js'), ...command, '--help'], { encoding: 'utf8' });
  const options = [...help.matchAll(/^ {2}(?:-\w, )?(--[a-z][a-z0-9-]*)/gm)].map((m) => m[1]!).filter((o) => o !== '--help');
  const commandsPart = help.split(/^Commands:$/m)[1] ?? '';
  const commands = [...commandsPart.matchAll(/^ {2}([a-z][a-z0-9-]*)/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
  return { options, commands };
}

test('both guides name every option of analyze and eval, every models command and every createAnalyzer option', async () => {
  const expected = [
    ...helpOf('analyze').options,
    ...helpOf('eval').options,
    ...helpOf('models').commands,
    ...Object.keys(ANALYZER_DEFAULTS),
  ];
  assert.ok(expected.includes('--output') && expected.includes('import-tf') && expected.includes('workingSide'), expected.join(' '));
  for (const file of ['README.md', 'docs/README.zh-CN.md']) {
    const guide = await readDoc(file);
    const missing = expected.filter((name) => !guide.includes(name));
    assert.deepEqual(missing, [], `missing from ${file}`);
  }
});

test('no shell block in either guide pipes into a faceread subcommand (alternatives are separate lines)', async () => {
  const subcommands = new Set([...helpOf().commands, ...helpOf('models').commands, ...helpOf('batch').commands]);
  for (const file of ['README.md', 'docs/README.zh-CN.md']) {
    const guide = await readDoc(file);
    for (const block of guide.matchAll(/```sh\n([\s\S]*?)```/g)) {
      for (const line of block[1]!.split('\n')) {
        const code = line.replace(/#.*$/, '').replace(/'[^']*'|"[^"]*"/g, '');
        for (const piped of code.split('|').slice(1)) {
          const word = piped.trim().split(/\s+/)[0] ?? '';
          assert.ok(!subcommands.has(word), `${file}: "${line.trim()}" pipes into "${word}", which is a faceread command, not a program`);
        }
      }
    }
  }
});
