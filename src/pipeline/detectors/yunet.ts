/**
 * Runs an imported YuNet face detector (OpenCV Zoo's 2022mar and 2023mar,
 * libfacedetection.train's yunet_n) as OpenCV's `FaceDetectorYN` runs it:
 * the photo at its own size, padded with black on the right and bottom to
 * multiples of 32, BGR, raw 0-255. Photos whose longer side exceeds
 * `maxSide` are first shrunk to it by sharp (bilinear; a JavaScript copy
 * of OpenCV's resize took 30 ms at 1920 -> 1280, longer than the network's
 * own share). A model whose input size could not be freed at import runs
 * letterboxed at its fixed size instead. Boxes, scores and five landmarks
 * come back in the given image's pixels.
 */
import type { InferenceSession } from 'onnxruntime-node';
import ort from '../../engine/ort.js';
import type { Detection, RgbImage } from '../../types.js';
import type { DetectOptions, FaceDetector, RunnerFactory } from '../runner-types.js';
import {
  decodeYunetPriors,
  decodeYunetStrides,
  suppressYunet,
  YUNET_PRIOR_OUTPUTS,
  YUNET_STRIDES,
  type YunetCandidate,
  type YunetLayout,
} from './yunet-decode.js';
import { inputPixels, networkInput, planarBlob, sessionFixedSize, type NetworkInput, type PixelFormat } from './detector-input.js';
import { candidateDetection, scaleCandidate } from './face-candidates.js';

/** Input sides are padded to multiples of this, as FaceDetectorYN pads them (the coarsest stride of the strides layout). */
export const YUNET_DIVISOR = 32;
/**
 * The longest side a photo is run at. WIDER `dev` AP50 of 2023mar by cap (104 photos, long sides
 * 1024-1806 px): 640 0.781, 800 0.834, 1024 0.875, 1280 0.873, 1600 0.874; 2022mar 0.818, 0.846,
 * 0.855, 0.856, 0.852. Nothing is gained above 1024 while the network's time grows with the pixels
 * (1280 is 1.56x the pixels of 1024). `bench/eval-onnx-detectors.ts` measures it.
 */
export const YUNET_MAX_SIDE = 1024;

/** The network input chosen for one photo (src/pipeline/detectors/detector-input.ts). */
export type YunetInput = NetworkInput;

/** YuNet's pixels: BGR, raw 0-255. */
const YUNET_FORMAT: PixelFormat = { channels: 'bgr', mean: [0, 0, 0], scale: 1 };

export interface YunetDetector extends FaceDetector {
  readonly layout: YunetLayout;
  /** The model's fixed [width, height], or null when it runs at any size. */
  readonly fixedSize: [number, number] | null;
  /** The input a photo of this size is run at. */
  inputFor(width: number, height: number): YunetInput;
  /** The input of the last photo detected (for reports and debugging). */
  readonly lastInput: YunetInput | null;
}

/**
 * The input size for a photo: its own size (never enlarged) with the longer side at most `maxSide`,
 * padded to multiples of 32; for a fixed-size model, the photo fitted into that size.
 */
export const yunetInput = (width: number, height: number, maxSide: number, fixedSize: [number, number] | null = null): YunetInput =>
  networkInput(width, height, { maxSide, divisor: YUNET_DIVISOR, fixedSize });

/** The photo at the input's (unpadded) size: itself when it fits, else shrunk (bilinear, sharp). */
export const yunetPixels = inputPixels;

/** Pixels of the input's size as a BGR NCHW float tensor of the padded size, black beyond them. */
export const yunetBlob = (pixels: RgbImage, input: YunetInput): Float32Array => planarBlob(pixels, input, YUNET_FORMAT);

/** Which output layout a session has, or a message naming what YuNet gives. */
export function yunetLayoutOf(outputNames: readonly string[]): YunetLayout {
  const names = new Set(outputNames);
  if (YUNET_PRIOR_OUTPUTS.every((n) => names.has(n))) return 'priors';
  if (YUNET_STRIDES.every((s) => ['cls', 'obj', 'bbox', 'kps'].every((p) => names.has(`${p}_${s}`)))) return 'strides';
  throw new Error(
    `Expected YuNet outputs loc, conf, iou (2022mar) or cls/obj/bbox/kps at strides 8, 16, 32 (2023mar, yunet_n) but the model has ${outputNames.join(', ')}; ` +
      'import the file again with `faceread models import-onnx`',
  );
}

function decode(layout: YunetLayout, outputs: InferenceSession.OnnxValueMapType, input: YunetInput, minScore: number): YunetCandidate[] {
  const data = (name: string) => outputs[name]!.data as Float32Array;
  const { paddedWidth: w, paddedHeight: h } = input;
  if (layout === 'priors') return decodeYunetPriors(data('loc'), data('conf'), data('iou'), w, h, minScore);
  return decodeYunetStrides(
    YUNET_STRIDES.map((stride) => ({ stride, cls: data(`cls_${stride}`), obj: data(`obj_${stride}`), bbox: data(`bbox_${stride}`), kps: data(`kps_${stride}`) })),
    w,
    h,
    minScore,
  );
}

/**
 * A runner factory for YuNet with a cap on the side photos are run at.
 *
 * @example
 *   const detector = yunetDetector({ maxSide: 960 })(await ort.InferenceSession.create(preparedBytes));
 *   const faces = await detector.detect(image, { minScore: 0.6, maxFaces: 50 });
 */
export function yunetDetector(options: { maxSide?: number } = {}): RunnerFactory<YunetDetector> {
  const maxSide = options.maxSide ?? YUNET_MAX_SIDE;
  return (session) => {
    const layout = yunetLayoutOf(session.outputNames);
    const fixedSize = sessionFixedSize(session);
    const inputName = session.inputNames[0]!;
    let lastInput: YunetInput | null = null;
    return {
      layout,
      fixedSize,
      // The pipeline may hand a large JPEG over decoded at about this side (shrink-on-load).
      inputSide: fixedSize ? Math.max(...fixedSize) : maxSide,
      get lastInput() {
        return lastInput;
      },
      inputFor: (width, height) => yunetInput(width, height, maxSide, fixedSize),
      async detect(image: RgbImage, detectOptions: DetectOptions): Promise<Detection[]> {
        const input = yunetInput(image.width, image.height, maxSide, fixedSize);
        lastInput = input;
        const tensor = new ort.Tensor('float32', yunetBlob(await yunetPixels(image, input), input), [1, 3, input.paddedHeight, input.paddedWidth]);
        const outputs = await session.run({ [inputName]: tensor });
        const faces = suppressYunet(decode(layout, outputs, input, detectOptions.minScore), detectOptions.maxFaces);
        const [sx, sy] = [image.width / input.width, image.height / input.height];
        return faces.map((f) => candidateDetection(scaleCandidate(f, sx, sy), image));
      },
    };
  };
}

/** YuNet at the default cap: the factory to register for the `yunet` kind. */
export const createYunetDetector: RunnerFactory<YunetDetector> = yunetDetector();
