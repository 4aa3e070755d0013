/** `--precision auto|int8|fp32`, the same for every command that loads models. */
import { Option } from 'commander';
import { PRECISION_CHOICES, type PrecisionChoice } from '../models/precision.js';

/** With `fallback` (the analyzer's default, from FACEREAD_PRECISION) shown and used when the flag is absent. */
export function precisionOption(fallback?: PrecisionChoice): Option {
  const option = new Option('--precision <precision>', 'network precision: auto (int8 where it matched float32 on the dev sets), int8 or fp32 (env FACEREAD_PRECISION)').choices(
    PRECISION_CHOICES,
  );
  return fallback ? option.default(fallback) : option;
}
