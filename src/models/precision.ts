/**
 * Numeric precision of the networks: `fp32` (as converted) or `int8` (the
 * static quantiser's QDQ models, ~2-3x faster on CPUs with VNNI). `auto`
 * picks each model's default: int8 only where the accuracy guard held on
 * the dev sets (docs/accuracy.md), float32 elsewhere.
 */
import type { ModelDefinition } from './registry.js';

export const PRECISIONS = ['fp32', 'int8'] as const;
export type Precision = (typeof PRECISIONS)[number];

/** What callers may ask for. */
export const PRECISION_CHOICES = ['auto', ...PRECISIONS] as const;
export type PrecisionChoice = (typeof PRECISION_CHOICES)[number];

/**
 * The precision a model runs at for a request: `int8` only when the model
 * has an int8 version (imported models do not), and for `auto` only when it
 * is that model's default.
 *
 * @example
 *   modelPrecision(findModel('faceapi-ssd-mobilenetv1'), 'auto'); // 'int8'
 */
export function modelPrecision(model: Pick<ModelDefinition, 'int8'> | undefined, choice: PrecisionChoice): Precision {
  if (!model?.int8 || choice === 'fp32') return 'fp32';
  if (choice === 'int8') return 'int8';
  return model.int8.isDefault ? 'int8' : 'fp32';
}
