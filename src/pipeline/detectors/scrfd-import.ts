/**
 * Import-time checks for an SCRFD file: one image input [1, 3, H, W] and
 * 6 outputs (9 with keypoints), a score [N, 1], box distances [N, 4] and
 * (kps) five points [N, 10] for each of the strides 8, 16 and 32, N being
 * 2 anchors a cell. Exports name them score_8... or only by number, and
 * may leave N open; one run at the size the model will be run at tells
 * which output is which (by values per anchor and rows). A file that is
 * not SCRFD is refused with the inputs and outputs expected and found.
 *
 * @example
 *   const { bytes, layout } = await prepareScrfdModel(readFileSync('scrfd_2.5g_bnkps.onnx'));
 *   // layout: { inputName: 'input.1', scores: ['score_8', ...], keypoints: ['kps_8', ...], inputSize: [640, 640] }
 */
import { describeShape, modelSignature, type ModelSignature } from '../../convert/onnx/model-signature.js';
import { withPlainWeights } from '../../convert/onnx/plain-weights.js';
import { knownDim, oneImageInput, refuserFor, type Refuse } from './import-checks.js';
import { outputShapesAt } from './probe-run.js';
import { SCRFD_DEFAULT_SIZE, SCRFD_STRIDES, scrfdLayoutByName, scrfdRows, type ScrfdLayout } from './scrfd.js';

const EXPECTED =
  'Expected an SCRFD face detector (InsightFace scrfd_*.onnx or det_*.onnx): one image input [1, 3, H, W] and 6 outputs, or 9 with keypoints: ' +
  'for each of the strides 8, 16, 32 scores [N, 1], boxes [N, 4] (and kps [N, 10]), N = 2 anchors a cell (12800, 3200, 800 at 640x640)';

/** Values per anchor of each output role. */
const ROLE_VALUES = { scores: 1, boxes: 4, keypoints: 10 } as const;

const refuse: Refuse = refuserFor(EXPECTED);

/** What the declared inputs and outputs say: the layout by InsightFace's names or order (checked by a run in `prepareScrfdModel`). */
export function inspectScrfdModel(model: Uint8Array | ModelSignature): ScrfdLayout {
  const signature = model instanceof Uint8Array ? modelSignature(model) : model;
  const { input, height: h, width: w } = oneImageInput(signature, refuse);
  const count = signature.outputs.length;
  if (count !== 6 && count !== 9) refuse(signature, `it has ${count} outputs`);
  for (const output of signature.outputs) {
    const last = output.shape?.[output.shape.length - 1];
    if (knownDim(last) && ![1, 4, 10].includes(last)) refuse(signature, `output ${output.name} is ${describeShape(output.shape)}, not 1, 4 or 10 values per anchor`);
  }
  const inputSize: [number, number] | null = knownDim(w) && knownDim(h) ? [w, h] : null;
  return scrfdLayoutByName(signature.outputs.map((o) => o.name), input.name, inputSize);
}

/**
 * Which output is which, from one run at the size the model will be run at: for each role and
 * stride, the output with that role's values per anchor and that stride's rows.
 */
function layoutFromRun(signature: ModelSignature, declared: ScrfdLayout, shapes: { name: string; dims: number[] }[], [width, height]: [number, number]): ScrfdLayout {
  const roles = declared.keypoints ? (['scores', 'boxes', 'keypoints'] as const) : (['scores', 'boxes'] as const);
  const found = Object.fromEntries(
    roles.map((role) => [
      role,
      SCRFD_STRIDES.map((stride) => {
        const rows = scrfdRows(stride, width, height);
        const values = ROLE_VALUES[role];
        const match = shapes.filter(({ dims }) => dims[dims.length - 1] === values && dims.reduce((a, b) => a * b, 1) === rows * values);
        // Prefer the declared name when two outputs fit (never the case in SCRFD's own files).
        const chosen = match.find((m) => m.name === declared[role]![SCRFD_STRIDES.indexOf(stride)]) ?? match[0];
        if (!chosen) {
          const ran = shapes.map(({ name, dims }) => `${name} [${dims.join(', ')}]`).join(', ');
          refuse(signature, `run at ${width}x${height} it gives ${ran}, with no ${role} output of ${rows} x ${values} values for stride ${stride}`);
        }
        return chosen.name;
      }),
    ]),
  ) as Record<(typeof roles)[number], string[]>;
  return { inputName: declared.inputName, scores: found.scores, boxes: found.boxes, keypoints: declared.keypoints ? found.keypoints! : null, inputSize: declared.inputSize };
}

/**
 * Checks an SCRFD file and makes the model to store (weights listed as inputs dropped) with the
 * layout its runner reads. Throws when the file is not SCRFD or does not run.
 */
export async function prepareScrfdModel(bytes: Uint8Array): Promise<{ bytes: Uint8Array; layout: ScrfdLayout }> {
  const signature = modelSignature(bytes);
  const declared = inspectScrfdModel(signature);
  const stored = withPlainWeights(bytes);
  const size = declared.inputSize ?? SCRFD_DEFAULT_SIZE;
  let shapes;
  try {
    shapes = await outputShapesAt(stored, declared.inputName, size);
  } catch (cause) {
    throw new Error(`The SCRFD model does not run in onnxruntime at ${size.join('x')} (${(cause as Error).message.split('\n')[0]}); check that the file is complete`, { cause });
  }
  return { bytes: stored, layout: layoutFromRun(signature, declared, shapes, size) };
}
