/**
 * The folder of an installed npm package. `require.resolve('<name>/package.json')`
 * is the usual way, but a package whose `exports` map leaves out
 * `./package.json` (@vladmandic/human) refuses it, so the folders node
 * would search are tried in turn as well.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/**
 * @example
 *   packageFolder('@vladmandic/human'); // '/app/node_modules/@vladmandic/human'
 *   packageFolder('no-such-package');  // undefined
 */
export function packageFolder(name: string, from: NodeJS.Require = require): string | undefined {
  try {
    return path.dirname(from.resolve(`${name}/package.json`));
  } catch {
    // Not exported, or not installed: look where node would.
  }
  for (const folder of from.resolve.paths(name) ?? []) {
    if (existsSync(path.join(folder, name, 'package.json'))) return path.join(folder, name);
  }
  return undefined;
}
