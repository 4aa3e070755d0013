/**
 * The onnxruntime session settings FaceRead uses everywhere: CPU, full graph
 * optimisation, a fixed number of intra-op threads (the worker pool already
 * runs photos side by side), sequential execution.
 */
import type { InferenceSession } from 'onnxruntime-node';
import ort from './ort.js';
import type { ExecutionProvider } from './execution-provider.js';

export function sessionOptions(intraOpThreads: number, provider: ExecutionProvider = 'cpu'): InferenceSession.SessionOptions {
  return {
    executionProviders: provider === 'cpu' ? ['cpu'] : [provider, 'cpu'],
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: intraOpThreads,
    interOpNumThreads: 1,
    // The arena is kept (off, SSD runs ~30% slower), but planning one block for every
    // intermediate tensor ("memory pattern") is not: measured ~40 MB less RSS per
    // detector session at the same speed.
    enableMemPattern: false,
    // Idle intra-op threads would spin and take the core that sharp is decoding the next
    // photo on: measured with 1 worker x 2 threads, 7.0 -> 11.2 photos/s when they sleep.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
}

/** Loads a converted model from the store, naming the file and the fix when it fails. */
export async function createSession(modelPath: string, intraOpThreads: number, provider: ExecutionProvider = 'cpu'): Promise<InferenceSession> {
  try {
    return await ort.InferenceSession.create(modelPath, sessionOptions(intraOpThreads, provider));
  } catch (cause) {
    if (provider !== 'cpu') {
      throw new Error(
        `onnxruntime cannot run ${modelPath} on ${provider}: ${(cause as Error).message}. Possible fixes: install onnxruntime-node with its CUDA files ` +
          '(`ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js`, on a machine with CUDA 12 and cuDNN 9); or unset FACEREAD_EXECUTION_PROVIDER to run on the CPU.',
        { cause },
      );
    }
    throw new Error(
      `onnxruntime cannot load ${modelPath}: ${(cause as Error).message}. Possible fixes: run \`faceread models verify\`; or delete the file so it is converted again.`,
      { cause },
    );
  }
}
