/**
 * The converters' version, in a module of its own: the model store checks
 * it on every start, and should not have to load the ONNX writer to do so.
 */

/** Bumped whenever a converter's output changes, so stored models are redone. */
export const CONVERTER_VERSION = 1;

/**
 * Bumped whenever the int8 quantiser's output changes (its code or the
 * calibration table), so stored int8 models are redone; float32 models keep.
 */
export const QUANTIZER_VERSION = 2;
