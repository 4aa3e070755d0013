/**
 * Turns `--dataset <kind>:<path>` into a loaded data set, naming the known
 * kinds when the kind is wrong.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readAllAgeFaces, readUtkFace } from './attribute-datasets.js';
import type { Dataset, DatasetKind } from './dataset-types.js';
import { readWiderFace } from './wider-face.js';

export const DATASET_KINDS: readonly DatasetKind[] = ['utkface', 'aaf', 'wider'];

/**
 * Splits `kind:path` (the path may itself hold colons).
 *
 * @example parseDatasetSpec('aaf:../shared/data/aaf'); // { kind: 'aaf', root: '../shared/data/aaf' }
 */
export function parseDatasetSpec(spec: string): { kind: DatasetKind; root: string } {
  const colon = spec.indexOf(':');
  const kind = spec.slice(0, colon);
  const root = spec.slice(colon + 1);
  if (colon < 1 || !DATASET_KINDS.includes(kind as DatasetKind) || root === '') {
    throw new RangeError(`Expected --dataset <kind>:<path> with kind one of: ${DATASET_KINDS.join(', ')} but received '${spec}'`);
  }
  return { kind: kind as DatasetKind, root };
}

/**
 * Reads the data set a spec names.
 *
 * @example
 *   const dataset = await openDataset('utkface:../shared/data/utkface');
 *   dataset.task; // 'attributes'
 */
export async function openDataset(spec: string): Promise<Dataset> {
  const { kind, root } = parseDatasetSpec(spec);
  const absolute = path.resolve(root);
  if (!existsSync(absolute)) throw new Error(`The data set folder ${absolute} does not exist`);
  if (kind === 'wider') return { kind, task: 'detection', root: absolute, samples: await readWiderFace(absolute) };
  const samples = kind === 'utkface' ? await readUtkFace(absolute) : await readAllAgeFaces(absolute);
  return { kind, task: 'attributes', root: absolute, samples };
}
