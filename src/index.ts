/**
 * FaceRead as a library.
 *
 * @example
 *   import { createAnalyzer } from 'faceread';
 *   const analyzer = await createAnalyzer();
 *   const { faces } = await analyzer.analyze('photo.jpg');
 *   await analyzer.close();
 */
export { createAnalyzer, ANALYZER_DEFAULTS, type AnalyzerOptions } from './analyzer.js';
export { FaceReadError, ERROR_CODES, type ErrorCode } from './errors.js';
export { bucketForAge } from './pipeline/age-buckets.js';
export { MODELS } from './models/registry.js';
export { MODEL_KINDS } from './models/kinds.js';
export { BUILT_IN_PROFILES as PROFILES, DEFAULT_PROFILE, type Profile } from './models/profiles.js';
export * from './types.js';
