/**
 * Validates per-photo options once, at the edge (library call, CLI flag or
 * query string), and fills in defaults. Never merged into the global config.
 */
import { invalidOption } from '../errors.js';
import { ATTRIBUTE_NAMES, DEFAULT_ATTRIBUTES, isAttributeName } from '../attributes/registry.js';
import { ORIENTATIONS, type AnalyzeOptions, type Attribute, type Orientation } from '../types.js';

/** Every attribute name (src/attributes/registry.ts). */
export const ATTRIBUTES: readonly Attribute[] = ATTRIBUTE_NAMES;

export interface ResolvedAnalyzeOptions {
  minScore: number;
  maxFaces: number;
  attributes: Attribute[];
  orientation: Orientation;
}

export const DEFAULT_ANALYZE_OPTIONS: Readonly<ResolvedAnalyzeOptions> = Object.freeze<ResolvedAnalyzeOptions>({
  minScore: 0.5,
  maxFaces: 100,
  attributes: [...DEFAULT_ATTRIBUTES],
  orientation: 'exif',
});

/** Hard ceiling on faces per photo, whatever a caller asks for. */
export const MAX_FACES_LIMIT = 1000;

/**
 * @example resolveAnalyzeOptions({ minScore: 0.6 }) // { minScore: 0.6, maxFaces: 100, attributes: ['age', 'gender'] }
 * @throws FaceReadError INVALID_OPTION naming the option, what it should be and what it got
 */
export function resolveAnalyzeOptions(options: AnalyzeOptions = {}, defaults: ResolvedAnalyzeOptions = DEFAULT_ANALYZE_OPTIONS): ResolvedAnalyzeOptions {
  if (options === null || typeof options !== 'object') throw invalidOption('options', 'an object', options);
  const { minScore = defaults.minScore, maxFaces = defaults.maxFaces, attributes = defaults.attributes, orientation = defaults.orientation } = options;
  if (typeof minScore !== 'number' || !(minScore >= 0 && minScore <= 1)) {
    throw invalidOption('minScore', 'a number between 0 and 1', minScore);
  }
  if (typeof maxFaces !== 'number' || !Number.isInteger(maxFaces) || maxFaces < 1 || maxFaces > MAX_FACES_LIMIT) {
    throw invalidOption('maxFaces', `an integer between 1 and ${MAX_FACES_LIMIT}`, maxFaces);
  }
  if (!Array.isArray(attributes) || attributes.some((a) => !isAttributeName(a))) {
    throw invalidOption('attributes', `a list of: ${ATTRIBUTES.join(', ')}`, Array.isArray(attributes) ? attributes.join(',') : attributes);
  }
  if (!(ORIENTATIONS as readonly unknown[]).includes(orientation)) throw invalidOption('orientation', `one of: ${ORIENTATIONS.join(', ')}`, orientation);
  return { minScore, maxFaces, attributes: [...new Set(attributes)], orientation };
}
