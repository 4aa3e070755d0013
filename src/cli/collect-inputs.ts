/**
 * Expands what a user types after `faceread analyze` into image files:
 * plain files as given, folders searched recursively for image extensions,
 * anything else treated as a glob. Order is stable (sorted per argument).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';

export const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'avif', 'heic', 'heif', 'gif', 'tif', 'tiff'];
const IMAGE_PATTERN = `**/*.{${IMAGE_EXTENSIONS.flatMap((e) => [e, e.toUpperCase()]).join(',')}}`;

export interface CollectedInputs {
  files: string[];
  /** Arguments that matched nothing, reported as errors by the caller. */
  unmatched: string[];
}

/**
 * @example await collectInputs(['photo.jpg', 'albums/', 'shots/*.png'])
 */
export async function collectInputs(args: readonly string[]): Promise<CollectedInputs> {
  const files: string[] = [];
  const unmatched: string[] = [];
  for (const arg of args) {
    const info = await stat(arg).catch(() => undefined);
    let found: string[];
    if (info?.isFile()) found = [arg];
    else if (info?.isDirectory()) found = (await fg(IMAGE_PATTERN, { cwd: arg, onlyFiles: true, dot: false })).sort().map((f) => path.join(arg, f));
    else found = fg.isDynamicPattern(arg) ? (await fg(arg, { onlyFiles: true })).sort() : [];
    if (found.length === 0) unmatched.push(arg);
    files.push(...found);
  }
  return { files: [...new Set(files)], unmatched };
}

/**
 * The deepest folder holding every one of `files` (absolute), so that copies written
 * elsewhere can keep the files' folders relative to it.
 *
 * @example commonFolder(['dup/a/x.jpg', 'dup/b/x.jpg']) // '/cwd/dup'
 */
export function commonFolder(files: readonly string[]): string {
  if (files.length === 0) return path.resolve('.');
  let common = path.dirname(path.resolve(files[0]!)).split(path.sep);
  for (const file of files.slice(1)) {
    const parts = path.dirname(path.resolve(file)).split(path.sep);
    let same = 0;
    while (same < common.length && same < parts.length && common[same] === parts[same]) same++;
    common = common.slice(0, same);
  }
  return common.join(path.sep) || path.sep;
}
