/**
 * Where workers find a photo from its job key. A key is a path relative to a
 * root folder (the shared mount, which may sit at a different place on each
 * machine) or, without a root, an absolute path. Keys are opaque strings to
 * the queue, so another source (an object store: bucket + key) can replace
 * this one without changing jobs.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FaceReadError } from '../errors.js';

export interface PhotoSource {
  /** The photo's bytes; a missing photo is NOT_FOUND (retried: another machine may see it). */
  read(key: string): Promise<Buffer>;
}

/**
 * The key a submitted file gets: relative to `root` with '/' separators, or
 * its absolute path when there is no root.
 *
 * @example photoKeyFor('/mnt/photos/2024/a.jpg', '/mnt/photos') // '2024/a.jpg'
 */
export function photoKeyFor(file: string, root?: string): string {
  const absolute = path.resolve(file);
  if (root === undefined) return absolute;
  const relative = path.relative(path.resolve(root), absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new FaceReadError('INVALID_OPTION', `${file} is not inside the root folder ${root}`);
  }
  return relative.split(path.sep).join('/');
}

/** The file a key names under `root`; keys may not climb out of the root. */
export function photoPathFor(key: string, root?: string): string {
  if (root === undefined) return path.resolve(key);
  const base = path.resolve(root);
  const target = path.resolve(base, key);
  if (target !== base && !target.startsWith(base + path.sep)) {
    throw new FaceReadError('INVALID_OPTION', `The photo key ${key} points outside the root folder ${root}`);
  }
  return target;
}

/**
 * Reads photos from a (shared) file system.
 *
 * @example const bytes = await createFileSource('/mnt/photos').read('2024/a.jpg');
 */
export function createFileSource(root?: string): PhotoSource {
  return {
    async read(key: string): Promise<Buffer> {
      const file = photoPathFor(key, root);
      try {
        return await readFile(file);
      } catch (cause) {
        const code = (cause as NodeJS.ErrnoException).code;
        throw new FaceReadError('NOT_FOUND', `Cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (cause as Error).message}`, { cause });
      }
    },
  };
}
