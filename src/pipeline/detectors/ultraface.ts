/**
 * Runs an imported UltraFace detector (Ultra-Light-Fast-Generic-Face-Detector-1MB:
 * RFB-320 or slim-320, and their 640x480 versions) as its authors feed it:
 * the whole photo resized to the network's fixed input (OpenCV's bilinear
 * resize), RGB, (x - 127) / 128. The network decodes its own priors: it
 * gives face/background scores [1, N, 2] and boxes [1, N, 4] as x1, y1,
 * x2, y2 normalised to the photo. No landmarks.
 */
import ort from '../../engine/ort.js';
import { writeOpenCvBlob } from '../../image/opencv-blob.js';
import type { Detection, RgbImage } from '../../types.js';
import { nonMaxSuppression, type Corners } from '../nms.js';
import type { DetectOptions, FaceDetector, RunnerFactory } from '../runner-types.js';
import { sessionFixedSize } from './detector-input.js';

/** The authors' normalisation: (x - 127) / 128 on every channel. */
export const ULTRAFACE_MEAN = 127;
export const ULTRAFACE_SCALE = 1 / 128;
/** The authors' hard-NMS overlap threshold. */
export const ULTRAFACE_NMS_IOU = 0.3;
/** The input size of RFB-320 and slim-320, used when a file declares none. */
export const ULTRAFACE_DEFAULT_SIZE: [number, number] = [320, 240];

/**
 * Faces above `minScore` from the raw outputs, in the photo's pixels, best first.
 *
 * @example
 *   const faces = ultrafaceFaces(out.scores.data, out.boxes.data, 1280, 960, { minScore: 0.7, maxFaces: 20 });
 */
export function ultrafaceFaces(scores: ArrayLike<number>, boxes: ArrayLike<number>, width: number, height: number, options: DetectOptions): Detection[] {
  const count = scores.length / 2;
  if (boxes.length !== count * 4) throw new RangeError(`Expected 4 box values per UltraFace score pair (${count}) but received ${boxes.length} values`);
  const corners: Corners[] = [];
  const faceScores: number[] = [];
  for (let i = 0; i < count; i++) {
    const score = scores[i * 2 + 1]!;
    if (!(score > options.minScore)) continue;
    corners.push({ x1: boxes[i * 4]! * width, y1: boxes[i * 4 + 1]! * height, x2: boxes[i * 4 + 2]! * width, y2: boxes[i * 4 + 3]! * height });
    faceScores.push(score);
  }
  const keep = nonMaxSuppression(corners, faceScores, { iouThreshold: ULTRAFACE_NMS_IOU, scoreThreshold: -Infinity, maxOutputs: options.maxFaces });
  const clamp = (v: number, max: number) => Math.min(Math.max(v, 0), max);
  return keep.map((k) => {
    const c = corners[k]!;
    const x1 = clamp(c.x1, width), y1 = clamp(c.y1, height), x2 = clamp(c.x2, width), y2 = clamp(c.y2, height);
    return { box: { x: x1, y: y1, width: Math.max(0, x2 - x1), height: Math.max(0, y2 - y1) }, score: faceScores[k]! };
  });
}

/**
 * A FaceDetector around a session of an UltraFace model.
 *
 * @example
 *   const detector = createUltrafaceDetector(await ort.InferenceSession.create('version-RFB-320.onnx'));
 *   const faces = await detector.detect(image, { minScore: 0.7, maxFaces: 20 });
 */
export const createUltrafaceDetector: RunnerFactory<FaceDetector> = (session) => {
  const [width, height] = sessionFixedSize(session) ?? ULTRAFACE_DEFAULT_SIZE;
  const inputName = session.inputNames[0]!;
  return {
    inputSide: Math.max(width, height),
    async detect(image: RgbImage, options: DetectOptions): Promise<Detection[]> {
      const blob = new Float32Array(3 * width * height);
      writeOpenCvBlob(image, { size: [width, height], meanBgr: [ULTRAFACE_MEAN, ULTRAFACE_MEAN, ULTRAFACE_MEAN], scale: ULTRAFACE_SCALE, channels: 'rgb' }, blob, 0);
      const outputs = await session.run({ [inputName]: new ort.Tensor('float32', blob, [1, 3, height, width]) });
      const scores = outputs.scores?.data as Float32Array | undefined;
      const boxes = outputs.boxes?.data as Float32Array | undefined;
      if (!scores || !boxes) throw new Error('The UltraFace model has no outputs "scores" and "boxes"; import the file again with `faceread models import-onnx`');
      return ultrafaceFaces(scores, boxes, image.width, image.height, options);
    },
  };
};
