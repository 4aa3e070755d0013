/**
 * Import-time checks for a RetinaFace file: one image input [1, 3, H, W]
 * and three outputs with 4, 2 and 10 values per prior (loc, conf, landms;
 * Pytorch_Retinaface's export names them output, outputt, outputtt), one
 * row per prior of its layout. One run (at the file's fixed size, else a
 * small one) checks the rows and tells which output is which. A file that
 * is not RetinaFace is refused with the inputs and outputs expected and found.
 *
 * @example
 *   const { bytes, layout } = await prepareRetinafaceModel(readFileSync('mnet.25.onnx'));
 *   // layout: { inputName: 'input', loc: 'output', conf: 'outputt', landms: 'outputtt', inputSize: null }
 */
import { describeShape, modelSignature, type ModelSignature } from '../../convert/onnx/model-signature.js';
import { withPlainWeights } from '../../convert/onnx/plain-weights.js';
import { knownDim, oneImageInput, refuserFor, type Refuse } from './import-checks.js';
import { outputShapesAt } from './probe-run.js';
import { retinafaceLayoutByName, retinafacePriorCount, type RetinafaceLayout } from './retinaface.js';

const EXPECTED =
  'Expected a RetinaFace face detector (Pytorch_Retinaface mobilenet0.25 or ResNet50 export): one image input [1, 3, H, W] ' +
  'and the outputs loc [1, N, 4], conf [1, N, 2], landms [1, N, 10], N priors (16800 at 640x640)';

/** A free-size file is run once at this [width, height] (not square, every stride's cells whole). */
const PROBE_SIZE: [number, number] = [128, 96];
const ROLE_VALUES = { loc: 4, conf: 2, landms: 10 } as const;

const refuse: Refuse = refuserFor(EXPECTED);

/** What the declared inputs and outputs say (checked by a run in `prepareRetinafaceModel`). */
export function inspectRetinafaceModel(model: Uint8Array | ModelSignature): RetinafaceLayout {
  const signature = model instanceof Uint8Array ? modelSignature(model) : model;
  const { input, height: h, width: w } = oneImageInput(signature, refuse);
  if (signature.outputs.length !== 3) refuse(signature, `it has ${signature.outputs.length} outputs`);
  const inputSize: [number, number] | null = knownDim(w) && knownDim(h) ? [w, h] : null;
  const byName = retinafaceLayoutByName(signature.outputs.map((o) => o.name), input.name, inputSize);
  // Declared values per prior decide which output is which when all three are given.
  const lasts = signature.outputs.map((o) => o.shape?.[o.shape.length - 1]);
  for (const [k, last] of lasts.entries()) {
    if (knownDim(last) && ![4, 2, 10].includes(last)) refuse(signature, `output ${signature.outputs[k]!.name} is ${describeShape(signature.outputs[k]!.shape)}, not 4, 2 or 10 values per prior`);
  }
  if (lasts.every(knownDim) && [...lasts].sort((a, b) => a - b).join() === '2,4,10') {
    const named = (values: number) => signature.outputs[lasts.indexOf(values)]!.name;
    return { ...byName, loc: named(4), conf: named(2), landms: named(10) };
  }
  return byName;
}

/**
 * Checks a RetinaFace file and makes the model to store (weights listed as inputs dropped) with the
 * layout its runner reads. Throws when the file is not RetinaFace or does not run.
 */
export async function prepareRetinafaceModel(bytes: Uint8Array): Promise<{ bytes: Uint8Array; layout: RetinafaceLayout }> {
  const signature = modelSignature(bytes);
  const declared = inspectRetinafaceModel(signature);
  const stored = withPlainWeights(bytes);
  const size = declared.inputSize ?? PROBE_SIZE;
  let shapes;
  try {
    shapes = await outputShapesAt(stored, declared.inputName, size);
  } catch (cause) {
    throw new Error(`The RetinaFace model does not run in onnxruntime at ${size.join('x')} (${(cause as Error).message.split('\n')[0]}); check that the file is complete`, { cause });
  }
  const priors = retinafacePriorCount(size[0], size[1]);
  const layout = { ...declared };
  for (const role of ['loc', 'conf', 'landms'] as const) {
    const values = ROLE_VALUES[role];
    const fits = (dims: number[]) => dims[dims.length - 1] === values && dims.reduce((a, b) => a * b, 1) === priors * values;
    const declaredFits = shapes.find((s) => s.name === declared[role] && fits(s.dims));
    const chosen = declaredFits ?? shapes.find((s) => fits(s.dims));
    if (!chosen) {
      const ran = shapes.map(({ name, dims }) => `${name} [${dims.join(', ')}]`).join(', ');
      refuse(signature, `run at ${size.join('x')} it gives ${ran}, with no ${role} output of ${priors} x ${values} values (one row per prior)`);
    }
    layout[role] = chosen.name;
  }
  return { bytes: stored, layout };
}
