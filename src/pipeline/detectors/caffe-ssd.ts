/**
 * Runs an imported SSD face detector (OpenCV's res10, from Caffe or its
 * TensorFlow twin, converted by `convertCaffeNet` / `convertTfGraphDef`):
 * the photo is fed as OpenCV's sample feeds it (`blobFromImage`: 300x300,
 * BGR, mean (104, 177, 123), scale 1), then DetectionOutput runs in
 * TypeScript with the parameters stored in the model, and the face-class
 * boxes are scaled to the photo.
 */
import type { InferenceSession } from 'onnxruntime-node';
import ort from '../../engine/ort.js';
import { decodeDetectionParams, DETECTION_PARAMS_OUTPUT, type DetectionParams } from '../../convert/caffe/detection-output-params.js';
import { writeOpenCvBlob } from '../../image/opencv-blob.js';
import type { Detection, RgbImage } from '../../types.js';
import type { DetectOptions, FaceDetector, RunnerFactory } from '../runner-types.js';
import { ssdDetectionOutput, type SsdDetection } from './caffe-ssd-output.js';

/** OpenCV's face detector sample: 300x300 input, this mean in BGR order. */
export const RES10_INPUT_SIZE = 300;
export const RES10_MEAN_BGR = [104, 177, 123] as const;

/** How the photo is made into res10's input blob (cv2.dnn.blobFromImage's mean and swapRB). */
export interface Res10Preprocess {
  meanBgr: readonly [number, number, number];
  swapRB: boolean;
}

/** The right one: OpenCV's face detector sample, (104, 177, 123) on BGR, the mean res10 was trained with. */
export const OPENCV_SAMPLE_PREPROCESS: Res10Preprocess = { meanBgr: RES10_MEAN_BGR, swapRB: false };

/**
 * The widely copied LearnOpenCV age/gender app's call, `blobFromImage(frame, 1.0, (300, 300),
 * [104, 117, 123], True, False)`: a mistyped green mean (117 for 177) on R, G, B planes. Offered only
 * so that users of that app can reproduce its old detections exactly; it finds fewer faces.
 */
export const CLASSIC_APP_PREPROCESS: Res10Preprocess = { meanBgr: [104, 117, 123], swapRB: true };

function tensorData(outputs: InferenceSession.OnnxValueMapType, name: string): Float32Array {
  const tensor = outputs[name];
  if (!tensor) throw new Error(`The SSD model has no output "${name}"; import it again with \`faceread models import-caffe\``);
  return tensor.data as Float32Array;
}

/**
 * Face detections of one image from the model's raw outputs, in photo
 * pixels clamped to the photo, best first.
 *
 * @example
 *   const faces = ssdFaces(loc, conf, priors, params, 640, 480, { minScore: 0.5, maxFaces: 10 });
 */
export function ssdFaces(
  loc: Float32Array,
  conf: Float32Array,
  priors: Float32Array,
  params: DetectionParams,
  width: number,
  height: number,
  options: DetectOptions,
): Detection[] {
  // The face class is the one class that is not the background.
  const faceLabel = params.backgroundLabelId === 0 ? 1 : 0;
  const found: SsdDetection[] = ssdDetectionOutput(loc, conf, priors, params, options.minScore).filter((d) => d.label === faceLabel);
  found.sort((a, b) => b.score - a.score);
  const clamp = (v: number, max: number) => Math.min(Math.max(v, 0), max);
  return found.slice(0, options.maxFaces).map(({ box, score }) => {
    const x1 = clamp(box.x1 * width, width);
    const y1 = clamp(box.y1 * height, height);
    const x2 = clamp(box.x2 * width, width);
    const y2 = clamp(box.y2 * height, height);
    return { box: { x: x1, y: y1, width: Math.max(0, x2 - x1), height: Math.max(0, y2 - y1) }, score };
  });
}

/**
 * A FaceDetector around a session of an imported SSD model.
 *
 * @example
 *   const { onnx } = await convertCaffeModel('deploy.prototxt', 'res10_300x300_ssd_iter_140000.caffemodel');
 *   const detector = createCaffeSsdDetector(await ort.InferenceSession.create(onnx));
 *   const faces = await detector.detect(image, { minScore: 0.5, maxFaces: 20 });
 */
export const createCaffeSsdDetector: RunnerFactory<FaceDetector> = (session, options) =>
  caffeSsdDetectorWith(options?.preprocess === 'classic-app' ? CLASSIC_APP_PREPROCESS : OPENCV_SAMPLE_PREPROCESS)(session);

/**
 * The detector factory for a given input preprocessing (the classic app's, for its users).
 *
 * @example const detector = caffeSsdDetectorWith(CLASSIC_APP_PREPROCESS)(session);
 */
export const caffeSsdDetectorWith = (preprocess: Res10Preprocess): RunnerFactory<FaceDetector> => (session) => {
  const inputName = session.inputNames[0]!;
  return {
    async detect(image: RgbImage, options: DetectOptions): Promise<Detection[]> {
      const side = RES10_INPUT_SIZE;
      const blob = new Float32Array(3 * side * side);
      writeOpenCvBlob(image, { size: [side, side], meanBgr: preprocess.meanBgr, channels: preprocess.swapRB ? 'rgb' : 'bgr' }, blob, 0);
      const outputs = await session.run({ [inputName]: new ort.Tensor('float32', blob, [1, 3, side, side]) });
      const params = decodeDetectionParams(tensorData(outputs, DETECTION_PARAMS_OUTPUT));
      return ssdFaces(tensorData(outputs, 'loc'), tensorData(outputs, 'conf'), tensorData(outputs, 'priors'), params, image.width, image.height, options);
    },
  };
};
