/** FaceRead's version, read from its package.json (the package root, above dist/src/ or src/). */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  for (const up of ['../../package.json', '../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'faceread' && manifest.version) return manifest.version;
    } catch {
      // not this folder
    }
  }
  return 'unknown';
}

export const VERSION: string = readVersion();
