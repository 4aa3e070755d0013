/**
 * What the import checks of the ONNX detector kinds share: dimensions a file
 * may leave open, one wording for a refused file (what the kind expects, the
 * problem, and the inputs and outputs the file has), and the one image
 * input [1, 3, H, W] that SCRFD and RetinaFace take.
 */
import { describeShape, describeTensors, type ModelSignature, type SignatureDim, type TensorSignature } from '../../convert/onnx/model-signature.js';

/** A dimension the file declares (dynamic ones are strings or unset). */
export const knownDim = (d: SignatureDim | undefined): d is number => typeof d === 'number' && d > 0;

export type Refuse = (signature: ModelSignature, problem: string) => never;

/** The refusal of a kind whose files look like `expected`. */
export function refuserFor(expected: string): Refuse {
  return (signature, problem) => {
    throw new Error(`${expected}; but ${problem}. The file has inputs ${describeTensors(signature.inputs)} and outputs ${describeTensors(signature.outputs)}`);
  };
}

/** The file's single [1, 3, H, W] input, refused otherwise; H and W as declared (possibly open). */
export function oneImageInput(signature: ModelSignature, refuse: Refuse): { input: TensorSignature; height: SignatureDim | undefined; width: SignatureDim | undefined } {
  if (signature.inputs.length !== 1) refuse(signature, `it has ${signature.inputs.length} inputs`);
  const input = signature.inputs[0]!;
  const shape = input.shape;
  if (!shape || shape.length !== 4) refuse(signature, `input ${input.name} is ${describeShape(shape)}, not 4-dimensional`);
  const [n, c, height, width] = shape;
  if ((knownDim(n) && n !== 1) || (knownDim(c) && c !== 3)) refuse(signature, `input ${input.name} is ${describeShape(shape)}, not one 3-channel image`);
  return { input, height, width };
}
