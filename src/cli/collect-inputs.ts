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
