/**
 * Runs an imported RetinaFace detector (the mobilenet0.25 and ResNet50 ONNX
 * exports of Pytorch_Retinaface, and files of the same layout) as its
 * `detect.py` runs it: the photo at its own size (longer side at most
 * 1024 px here; a file of fixed size gets the photo fitted in at the top
 * left), BGR, minus the mean (104, 117, 123), no scaling. The network gives
 * for each prior (sizes 16 and 32 at stride 8, 64 and 128 at 16, 256 and
 * 512 at 32, on ceil(side / stride) cells) box offsets `loc` [N, 4], face
 * probabilities `conf` [N, 2] (after softmax) and five points `landms`
 * [N, 10], decoded with the variances 0.1 (centre, points) and 0.2 (size).
 * The 5000 best faces above the minimum score are suppressed at IoU 0.4 in
 * photo pixels (its `py_cpu_nms`).
 */
import type { InferenceSession } from 'onnxruntime-node';
import ort from '../../engine/ort.js';
import type { Detection, RgbImage } from '../../types.js';
import type { DetectOptions, FaceDetector, ModelSpec, RunnerFactory } from '../runner-types.js';
import { inputPixels, networkInput, planarBlob, sessionFixedSize, type NetworkInput, type PixelFormat } from './detector-input.js';
import { candidateDetection, scaleCandidate, suppressInclusive, type FaceCandidate } from './face-candidates.js';
import { ceilPriorLevels, decodePriorBox, decodePriorPoints, priorBoxes, priorCount, type PriorVariances } from './prior-boxes.js';

/** Pytorch_Retinaface's `cfg_mnet` / `cfg_re50` priors. */
export const RETINAFACE_STRIDES = [8, 16, 32] as const;
export const RETINAFACE_PRIOR_SIZES = [[16, 32], [64, 128], [256, 512]] as const;
const VARIANCES: PriorVariances = { centre: 0.1, width: 0.2, height: 0.2 };
export const RETINAFACE_FORMAT: PixelFormat = { channels: 'bgr', mean: [104, 117, 123], scale: 1 };
export const RETINAFACE_NMS_IOU = 0.4;
/** Candidates kept before suppression (`top_k` of its detect.py). */
export const RETINAFACE_TOP_K = 5000;
/**
 * The longest side a photo is run at. Pytorch_Retinaface runs photos at their own size; the cap is
 * YuNet's, measured for YuNet (no RetinaFace file was at hand to measure its own).
 */
export const RETINAFACE_MAX_SIDE = 1024;

/** Which output holds what: found at import and stored with the model. */
export interface RetinafaceLayout {
  inputName: string;
  loc: string;
  conf: string;
  landms: string;
  /** The network's fixed [width, height], or null when it runs at any size. */
  inputSize: [number, number] | null;
}

/** The priors (rows of every output) of an input. */
export const retinafacePriorCount = (width: number, height: number): number => priorCount(ceilPriorLevels(RETINAFACE_STRIDES, RETINAFACE_PRIOR_SIZES, width, height));

/** Outputs named loc, conf and landms, else in that order (Pytorch_Retinaface's export names them output, outputt, outputtt). */
export function retinafaceLayoutByName(outputNames: readonly string[], inputName: string, inputSize: [number, number] | null): RetinafaceLayout {
  const names = new Set(outputNames);
  if (['loc', 'conf', 'landms'].every((n) => names.has(n))) return { inputName, loc: 'loc', conf: 'conf', landms: 'landms', inputSize };
  const [loc = 'loc', conf = 'conf', landms = 'landms'] = outputNames;
  return { inputName, loc, conf, landms, inputSize };
}

/**
 * Candidates scoring above `minScore` (strictly, as its detect.py), in the pixels of a
 * `width` x `height` input.
 *
 * @example
 *   const faces = decodeRetinaface(out.loc.data, out.conf.data, out.landms.data, 640, 480, 0.5);
 */
export function decodeRetinaface(loc: ArrayLike<number>, conf: ArrayLike<number>, landms: ArrayLike<number>, width: number, height: number, minScore: number): FaceCandidate[] {
  const priors = priorBoxes(ceilPriorLevels(RETINAFACE_STRIDES, RETINAFACE_PRIOR_SIZES, width, height), width, height);
  const count = priors.length / 4;
  for (const [name, data, values] of [['loc', loc, 4], ['conf', conf, 2], ['landms', landms, 10]] as const) {
    if (data.length !== count * values) throw new RangeError(`Expected RetinaFace output ${name} to hold ${count} x ${values} values for a ${width}x${height} input but received ${data.length}`);
  }
  const found: FaceCandidate[] = [];
  for (let i = 0; i < count; i++) {
    const score = conf[i * 2 + 1]!;
    if (!(score > minScore)) continue;
    const box = decodePriorBox(priors, i, loc, i * 4, VARIANCES, width, height);
    found.push({ ...box, score, landmarks: decodePriorPoints(priors, i, landms, i * 10, 5, VARIANCES.centre, width, height) });
  }
  return found;
}

export interface RetinafaceDetector extends FaceDetector {
  readonly layout: RetinafaceLayout;
  /** The input of the last photo detected (for reports). */
  readonly lastInput: NetworkInput | null;
}

/**
 * A runner factory for RetinaFace with a cap on the side photos are run at; `spec` is the layout
 * its import found (without one, outputs named loc, conf, landms or in that order).
 *
 * @example
 *   const detector = retinafaceDetector({ maxSide: 640 })(await ort.InferenceSession.create(storedBytes), {}, layout);
 *   const faces = await detector.detect(image, { minScore: 0.5, maxFaces: 50 });
 */
export function retinafaceDetector(options: { maxSide?: number } = {}): RunnerFactory<RetinafaceDetector> {
  const maxSide = options.maxSide ?? RETINAFACE_MAX_SIDE;
  return (session: InferenceSession, _options, spec?: ModelSpec) => {
    const layout = (spec as RetinafaceLayout | undefined) ?? retinafaceLayoutByName(session.outputNames, session.inputNames[0]!, sessionFixedSize(session));
    let lastInput: NetworkInput | null = null;
    return {
      layout,
      inputSide: layout.inputSize ? Math.max(...layout.inputSize) : maxSide,
      get lastInput() {
        return lastInput;
      },
      async detect(image: RgbImage, detectOptions: DetectOptions): Promise<Detection[]> {
        const input = networkInput(image.width, image.height, { maxSide, divisor: 1, fixedSize: layout.inputSize });
        lastInput = input;
        const blob = planarBlob(await inputPixels(image, input), input, RETINAFACE_FORMAT);
        const outputs = await session.run({ [layout.inputName]: new ort.Tensor('float32', blob, [1, 3, input.paddedHeight, input.paddedWidth]) });
        const data = (name: string) => {
          const output = outputs[name];
          if (!output) throw new Error(`The RetinaFace model has no output "${name}"; import the file again with \`faceread models import-onnx --kind retinaface\``);
          return output.data as Float32Array;
        };
        const found = decodeRetinaface(data(layout.loc), data(layout.conf), data(layout.landms), input.paddedWidth, input.paddedHeight, detectOptions.minScore);
        const [sx, sy] = [image.width / input.width, image.height / input.height];
        const inPhoto = found.map((f) => scaleCandidate(f, sx, sy));
        return suppressInclusive(inPhoto, RETINAFACE_NMS_IOU, detectOptions.maxFaces, RETINAFACE_TOP_K).map((f) => candidateDetection(f, image));
      },
    };
  };
}

/** RetinaFace at the default cap: the factory to register for the `retinaface` kind. */
export const createRetinafaceDetector: RunnerFactory<RetinafaceDetector> = retinafaceDetector();
