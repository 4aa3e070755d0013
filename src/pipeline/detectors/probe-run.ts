/**
 * One run of a model on a black image, for import checks: the output
 * shapes onnxruntime really gives at a size, which a file's declared
 * shapes may leave open (dynamic exports) or name only by number.
 */
import ort from '../../engine/ort.js';

/** The name and dimensions of each output after one run at [width, height]; throws when the model does not run. */
export async function outputShapesAt(bytes: Uint8Array, inputName: string, [width, height]: [number, number]): Promise<{ name: string; dims: number[] }[]> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, graphOptimizationLevel: 'basic' });
  try {
    const outputs = await session.run({ [inputName]: new ort.Tensor('float32', new Float32Array(3 * width * height), [1, 3, height, width]) });
    return session.outputNames.map((name) => ({ name, dims: [...outputs[name]!.dims] }));
  } finally {
    await session.release();
  }
}
