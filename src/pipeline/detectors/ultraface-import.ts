/**
 * Import-time check for an UltraFace file: one fixed image input
 * [1, 3, H, W] and the outputs scores [1, N, 2] and boxes [1, N, 4], N being
 * the number of priors the authors' layout gives for that input (4420 at
 * 320x240, 17640 at 640x480). Anything else is refused with a message
 * naming what was expected.
 *
 * @example
 *   const info = inspectUltrafaceModel(readFileSync('version-RFB-320.onnx'));
 *   // { family: 'ultraface', inputName: 'input', size: [320, 240], priors: 4420 }
 *   const { bytes } = prepareUltrafaceModel(fileBytes); // the model to store
 */
import { describeShape, describeTensors, modelSignature, type ModelSignature, type SignatureDim } from '../../convert/onnx/model-signature.js';
import { withPlainWeights } from '../../convert/onnx/plain-weights.js';
import { ceilPriorLevels, priorCount } from './prior-boxes.js';
import { ULTRAFACE_DEFAULT_SIZE } from './ultraface.js';

export interface UltrafaceModelInfo {
  family: 'ultraface';
  inputName: string;
  /** [width, height] the network runs at. */
  size: [number, number];
  priors: number;
}

/** Prior sizes per feature map (input pixels) and the maps' strides, as the authors lay them out. */
const PRIOR_SIZES = [[10, 16, 24], [32, 48], [64, 96], [128, 192, 256]];
const PRIOR_STRIDES = [8, 16, 32, 64];

/** How many priors (rows of scores and boxes) UltraFace gives at an input size. */
export const ultrafacePriorCount = (width: number, height: number): number => priorCount(ceilPriorLevels(PRIOR_STRIDES, PRIOR_SIZES, width, height));

const EXPECTED =
  'Expected an UltraFace face detector (RFB-320 / slim-320 or their 640 versions): one image input [1, 3, H, W] ' +
  'and the outputs scores [1, N, 2] and boxes [1, N, 4] (N = 4420 at 320x240)';

const known = (d: SignatureDim | undefined): d is number => typeof d === 'number' && d > 0;

/** What an UltraFace file is, from its inputs and outputs; throws an Error naming what was expected otherwise. */
export function inspectUltrafaceModel(model: Uint8Array | ModelSignature): UltrafaceModelInfo {
  const signature = model instanceof Uint8Array ? modelSignature(model) : model;
  const refuse = (problem: string): never => {
    throw new Error(`${EXPECTED}; but ${problem}. The file has inputs ${describeTensors(signature.inputs)} and outputs ${describeTensors(signature.outputs)}`);
  };
  if (signature.inputs.length !== 1) refuse(`it has ${signature.inputs.length} inputs`);
  const input = signature.inputs[0]!;
  const shape = input.shape;
  if (!shape || shape.length !== 4) refuse(`input ${input.name} is ${describeShape(shape)}, not 4-dimensional`);
  const [n, c, h, w] = shape!;
  if ((known(n) && n !== 1) || (known(c) && c !== 3)) refuse(`input ${input.name} is ${describeShape(shape)}, not one 3-channel image`);
  const size: [number, number] = known(w) && known(h) ? [w, h] : ULTRAFACE_DEFAULT_SIZE;
  const priors = ultrafacePriorCount(size[0], size[1]);
  for (const [name, values] of [['scores', 2], ['boxes', 4]] as const) {
    const output = signature.outputs.find((o) => o.name === name);
    if (!output) refuse(`it has no output "${name}"`);
    const dims = output!.shape;
    if (!dims || dims.length !== 3) refuse(`output ${name} is ${describeShape(dims)}, not [1, N, ${values}]`);
    const [, rows, last] = dims!;
    if (known(last) && last !== values) refuse(`output ${name} is ${describeShape(dims)}, not ${values} values per prior`);
    if (known(rows) && rows !== priors) refuse(`output ${name} has ${rows} rows where a ${size[0]}x${size[1]} input gives ${priors} priors`);
  }
  return { family: 'ultraface', inputName: input.name, size, priors };
}

/**
 * Checks an UltraFace file and makes the model to store: the authors' files list every weight as a
 * graph input as well, which keeps onnxruntime from folding constants; those inputs (and weights no node reads) are dropped.
 */
export function prepareUltrafaceModel(bytes: Uint8Array): { bytes: Uint8Array; info: UltrafaceModelInfo } {
  const info = inspectUltrafaceModel(bytes);
  return { bytes: withPlainWeights(bytes), info };
}
