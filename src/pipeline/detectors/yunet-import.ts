/**
 * Import-time checks for a YuNet file: what it is (output layout, input
 * size) from its declared inputs and outputs, and a model ready to store,
 * its input size freed when the graph runs at other sizes. A file that is
 * not YuNet is refused with a message naming what was expected.
 *
 * @example
 *   const { bytes, info } = await prepareYunetModel(readFileSync('face_detection_yunet_2023mar.onnx'));
 *   // info: { family: 'yunet', layout: 'strides', fixedSize: null, exportedSize: [640, 640], ... }
 */
import { describeShape, modelSignature, type ModelSignature, type TensorSignature } from '../../convert/onnx/model-signature.js';
import { withSymbolicImageSize } from '../../convert/onnx/symbolic-input.js';
import { yunetAnchorCount, YUNET_STRIDE_OUTPUTS, YUNET_STRIDES, type YunetLayout } from './yunet-decode.js';
import { yunetLayoutOf } from './yunet.js';
import { outputShapesAt } from './probe-run.js';
import { knownDim, refuserFor, type Refuse } from './import-checks.js';

export interface YunetModelInfo {
  family: 'yunet';
  layout: YunetLayout;
  /** Which published file this layout comes from, for messages and `models list`. */
  variant: string;
  inputName: string;
  /** [width, height] the file was exported at, or null when it declares free sizes. */
  exportedSize: [number, number] | null;
}

export interface PreparedYunetModel {
  /** The model to store: the input size freed where the graph allows it, else the file as given. */
  bytes: Uint8Array;
  info: YunetModelInfo;
  /** [width, height] the stored model must be run at, or null when it runs at any multiple of 32. */
  fixedSize: [number, number] | null;
}

const EXPECTED =
  'Expected a YuNet face detector: one image input [1, 3, H, W] and either the outputs loc [N, 14], conf [N, 2], iou [N, 1] ' +
  "(OpenCV Zoo's face_detection_yunet_2022mar.onnx) or cls_8/16/32 [1, N, 1], obj_8/16/32 [1, N, 1], bbox_8/16/32 [1, N, 4], kps_8/16/32 [1, N, 10] " +
  "(face_detection_yunet_2023mar.onnx, libfacedetection.train's yunet_n)";

/** Each value per anchor the outputs must end with (the last dimension). */
const LAST_DIM: Record<string, number> = { loc: 14, conf: 2, iou: 1, cls: 1, obj: 1, bbox: 4, kps: 10 };

const refuse: Refuse = refuserFor(EXPECTED);

function checkLastDim(signature: ModelSignature, output: TensorSignature): void {
  const values = LAST_DIM[output.name.replace(/_\d+$/, '')]!;
  const last = output.shape?.[output.shape.length - 1];
  if (knownDim(last) && last !== values) refuse(signature, `output ${output.name} is ${describeShape(output.shape)}, not ${values} values per anchor`);
}

/**
 * What a YuNet file is, from its inputs and outputs (bytes or a signature); throws an Error naming
 * the expected inputs and outputs otherwise.
 */
export function inspectYunetModel(model: Uint8Array | ModelSignature): YunetModelInfo {
  const signature = model instanceof Uint8Array ? modelSignature(model) : model;
  if (signature.inputs.length !== 1) refuse(signature, `it has ${signature.inputs.length} inputs`);
  const input = signature.inputs[0]!;
  const shape = input.shape;
  if (!shape || shape.length !== 4) refuse(signature, `input ${input.name} is ${describeShape(shape)}, not 4-dimensional`);
  if (knownDim(shape[0]) && shape[0] !== 1) refuse(signature, `input ${input.name} has batch ${shape[0]}, not 1`);
  if (knownDim(shape[1]) && shape[1] !== 3) refuse(signature, `input ${input.name} has ${shape[1]} channels, not 3`);
  let layout: YunetLayout;
  try {
    layout = yunetLayoutOf(signature.outputs.map((o) => o.name));
  } catch {
    refuse(signature, 'its outputs are not named so');
  }
  const used = layout === 'priors' ? ['loc', 'conf', 'iou'] : YUNET_STRIDES.flatMap((s) => YUNET_STRIDE_OUTPUTS.map((p) => `${p}_${s}`));
  for (const name of used) checkLastDim(signature, signature.outputs.find((o) => o.name === name)!);
  const [, , h, w] = shape;
  return {
    family: 'yunet',
    layout,
    variant: layout === 'priors' ? 'OpenCV Zoo 2022mar (priors)' : '2023mar / yunet_n (strides 8, 16, 32)',
    inputName: input.name,
    exportedSize: knownDim(w) && knownDim(h) ? [w, h] : null,
  };
}

/** Probe sizes: not the export size, not square, multiples of 32. */
const PROBE_SIZES: [number, number][] = [[96, 64], [160, 224]];

/** Runs the model at `size` and checks the outputs hold one anchor per cell (or prior) of that size. */
async function runsAt(bytes: Uint8Array, info: YunetModelInfo, [width, height]: [number, number]): Promise<boolean> {
  try {
    const shapes = new Map((await outputShapesAt(bytes, info.inputName, [width, height])).map(({ name, dims }) => [name, dims.reduce((a, b) => a * b, 1)]));
    if (info.layout === 'priors') return shapes.get('loc') === yunetAnchorCount('priors', width, height) * 14;
    return YUNET_STRIDES.every((s) => shapes.get(`cls_${s}`) === (width / s) * (height / s));
  } catch {
    return false;
  }
}

/**
 * Checks a YuNet file and makes the model to store: with the image size made symbolic when the
 * rewritten graph runs correctly at other sizes (checked by running it), else the file unchanged
 * with the fixed size it must be letterboxed to. Throws when the file is not YuNet or does not run.
 */
export async function prepareYunetModel(bytes: Uint8Array): Promise<PreparedYunetModel> {
  const info = inspectYunetModel(bytes);
  const free = info.exportedSize ? withSymbolicImageSize(bytes) : bytes;
  const results = await Promise.all(PROBE_SIZES.map((size) => runsAt(free, info, size)));
  if (results.every(Boolean)) return { bytes: free, info, fixedSize: null };
  if (info.exportedSize && (await runsAt(bytes, info, info.exportedSize))) return { bytes, info, fixedSize: info.exportedSize };
  throw new Error(`The YuNet model (${info.variant}) does not run in onnxruntime at ${info.exportedSize ? `its input size ${info.exportedSize.join('x')}` : 'sizes 96x64 and 160x224'}; check that the file is complete`);
}
