/**
 * onnxruntime-node, the same object however this module is loaded. It is
 * CommonJS: native ESM sees it as the default export, but a CommonJS
 * transform (tsx, when piscina require()s the worker module under it)
 * sees only the namespace.
 */
import * as ortModule from 'onnxruntime-node';

const ort: typeof ortModule = (ortModule as unknown as { default?: typeof ortModule }).default ?? ortModule;
export default ort;
