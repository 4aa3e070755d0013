/**
 * The original runtime for conformance tests: face-api on TensorFlow.js's
 * cpu backend, with its weights loaded from the npm package.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export const FACEAPI_MODEL_DIR = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
export const FACEAPI_SAMPLE_DIR = path.join(path.dirname(FACEAPI_MODEL_DIR), 'demo');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

let loaded: Promise<{ tf: Any; faceapi: Any }> | undefined;

/** face-api and its tfjs, on the cpu backend (deterministic float32), loaded once per process. */
export function loadFaceApi(): Promise<{ tf: Any; faceapi: Any }> {
  loaded ??= (async () => {
    const tf = require('@tensorflow/tfjs');
    const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
    await tf.setBackend('cpu');
    await tf.ready();
    return { tf, faceapi };
  })();
  return loaded;
}
