/**
 * Where the networks run, in a module of its own so that the main thread can
 * check the setting without loading onnxruntime (only the workers load it).
 * `cuda` needs onnxruntime-node installed with its CUDA files (the project's
 * .npmrc skips them); operators CUDA lacks fall back to the CPU.
 */
export const EXECUTION_PROVIDERS = ['cpu', 'cuda'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];
