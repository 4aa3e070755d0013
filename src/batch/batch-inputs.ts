/**
 * What `faceread batch submit` is given, turned into photo keys: files,
 * folders and globs (as `faceread analyze` takes them) and list files with
 * one key per line. Also the default batch name, derived from the set of
 * keys so that submitting the same set again names the same batch.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { collectInputs } from '../cli/collect-inputs.js';
import { photoKeyFor } from './photo-source.js';

export interface BatchKeys {
  keys: string[];
  /** Arguments that matched no image file. */
  unmatched: string[];
}

/**
 * Lines of a list file: blank lines and `#` comments skipped. Relative lines
 * are relative to `root` (kept as keys as they are, so they may name objects
 * not visible here) or, without a root, to the current folder.
 */
export function keysFromList(text: string, root?: string): string[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  return lines.map((line) => {
    if (root === undefined) return path.resolve(line);
    return path.isAbsolute(line) ? photoKeyFor(line, root) : path.posix.normalize(line.split(path.sep).join('/'));
  });
}

/**
 * @example await collectBatchKeys(['albums/', 'more/*.jpg'], { root: '/mnt/photos' })
 */
export async function collectBatchKeys(inputs: readonly string[], options: { lists?: readonly string[]; root?: string } = {}): Promise<BatchKeys> {
  const { files, unmatched } = inputs.length ? await collectInputs(inputs) : { files: [], unmatched: [] };
  const keys = files.map((file) => photoKeyFor(file, options.root));
  for (const list of options.lists ?? []) {
    const text = list === '-' ? await readStdin() : await readFile(list, 'utf8');
    keys.push(...keysFromList(text, options.root));
  }
  return { keys: [...new Set(keys)], unmatched };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `<first input's name>-<8 hex of the sorted keys>`, e.g. `photos-1f3a9c02`.
 *
 * @example defaultBatchName(['/mnt/photos/'], keys)
 */
export function defaultBatchName(inputs: readonly string[], keys: readonly string[]): string {
  const base = path.basename(path.resolve(inputs[0] ?? 'batch')).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 60) || 'batch';
  const hash = createHash('sha1').update([...keys].sort().join('\n')).digest('hex').slice(0, 8);
  return `${base}-${hash}`;
}
