/**
 * The converters' version, in a module of its own: the model store checks
 * it on every start, and should not have to load the ONNX writer to do so.
 */

/** Bumped whenever a converter's output changes, so stored models are redone. */
export const CONVERTER_VERSION = 1;
