/**
 * The converted SSD MobileNetV1 against face-api on tfjs-cpu, on the same
 * 512x512 photo tensors: raw outputs (box encodings, decoded boxes and
 * scores per anchor) within 1e-3, and the same detections after
 * post-processing. face-api only returns decoded boxes, so its encodings
 * are recovered by inverting the decoding.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import ort from 'onnxruntime-node';
import sharp from 'sharp';
import { convertSsdMobilenetV1, SSD_ANCHOR_COUNT } from '../../../src/convert/faceapi/ssd-mobilenetv1.js';
import { iou } from '../../../src/pipeline/nms.js';
import { sharedSsdAnchors } from '../../../src/pipeline/detectors/ssd-anchors.js';
import { decodeSsdBox } from '../../../src/pipeline/detectors/ssd-decode.js';
import { createSsdMobilenetV1Detector } from '../../../src/pipeline/detectors/ssd-mobilenetv1.js';
import type { RgbImage } from '../../../src/types.js';
import { FACEAPI_MODEL_DIR, FACEAPI_SAMPLE_DIR, loadFaceApi } from '../../helpers/faceapi-reference.js';

const SIDE = 512;
const TOLERANCE = 1e-3;
const SAMPLES = ['sample1.jpg', 'sample5.jpg'];

async function photo512(file: string): Promise<RgbImage> {
  const data = await sharp(path.join(FACEAPI_SAMPLE_DIR, file)).removeAlpha().resize(SIDE, SIDE, { fit: 'fill' }).raw().toBuffer();
  return { data: new Uint8Array(data), width: SIDE, height: SIDE };
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** Inverts face-api's box decoding: its decoded [ymin, xmin, ymax, xmax] boxes back to raw (ty, tx, th, tw). */
function encodeBoxes(boxes: Float32Array, anchors: Float32Array): Float64Array {
  const out = new Float64Array(boxes.length);
  for (let o = 0; o < boxes.length; o += 4) {
    const [ah, aw] = [anchors[o + 2]! - anchors[o]!, anchors[o + 3]! - anchors[o + 1]!];
    const [h, w] = [boxes[o + 2]! - boxes[o]!, boxes[o + 3]! - boxes[o + 1]!];
    out[o] = ((boxes[o]! + h / 2 - (anchors[o]! + ah / 2)) / ah) * 10;
    out[o + 1] = ((boxes[o + 1]! + w / 2 - (anchors[o + 1]! + aw / 2)) / aw) * 10;
    out[o + 2] = Math.log(h / ah) * 5;
    out[o + 3] = Math.log(w / aw) * 5;
  }
  return out;
}

/** face-api's detections plus the per-anchor boxes and scores its forward pass produced on the way. */
async function locateFacesWithRawOutputs(net: Any, input: Any) {
  let referenceBoxes = new Float32Array();
  let referenceScores = new Float32Array();
  net.forwardInput = (netInput: Any) => {
    const result = Object.getPrototypeOf(net).forwardInput.call(net, netInput);
    referenceBoxes = result.boxes[0].dataSync();
    referenceScores = result.scores[0].dataSync();
    return result;
  };
  try {
    const expected = await net.locateFaces(input, { minConfidence: 0.5, maxResults: 100 });
    return { referenceBoxes, referenceScores, expected };
  } finally {
    delete net.forwardInput;
  }
}

describe('ssd_mobilenetv1 on onnxruntime matches face-api on tfjs-cpu', () => {
  let tf: Any, net: Any;
  let session: ort.InferenceSession;

  before(async () => {
    ({ tf } = await loadFaceApi());
    const { faceapi } = await loadFaceApi();
    net = faceapi.nets.ssdMobilenetv1;
    await net.loadFromDisk(FACEAPI_MODEL_DIR);
    session = await ort.InferenceSession.create(await convertSsdMobilenetV1(FACEAPI_MODEL_DIR), { graphOptimizationLevel: 'all' });
  });

  for (const file of SAMPLES) {
    it(`${file}: boxes and scores per anchor within ${TOLERANCE}, same detections`, async (t) => {
      const image = await photo512(file);
      const input = tf.tensor4d(Float32Array.from(image.data), [1, SIDE, SIDE, 3], 'float32');
      try {
        // One tfjs-cpu pass takes seconds: read the raw outputs as locateFaces computes them.
        const { referenceBoxes, referenceScores, expected } = await locateFacesWithRawOutputs(net, input);

        const outputs = await session.run({ image: new ort.Tensor('float32', Float32Array.from(image.data), [1, SIDE, SIDE, 3]) });
        assert.deepEqual(outputs.boxes!.dims, [1, SSD_ANCHOR_COUNT, 4]);
        assert.deepEqual(outputs.scores!.dims, [1, SSD_ANCHOR_COUNT]);
        const encodings = outputs.boxes!.data as Float32Array;
        const anchors = sharedSsdAnchors();
        // face-api's boxes are decoded [ymin, xmin, ymax, xmax]; decode ours the same way to compare.
        const decoded = new Float32Array(SSD_ANCHOR_COUNT * 4);
        for (let i = 0; i < SSD_ANCHOR_COUNT; i++) {
          const b = decodeSsdBox(encodings, anchors, i);
          decoded.set([b.y1, b.x1, b.y2, b.x2], i * 4);
        }
        const boxDifference = maxAbsDifference(decoded, referenceBoxes);
        const encodingDifference = maxAbsDifference(encodings, encodeBoxes(referenceBoxes, anchors));
        const scoreDifference = maxAbsDifference(outputs.scores!.data as Float32Array, referenceScores);
        t.diagnostic(`max |difference| decoded boxes ${boxDifference.toExponential(2)}, encodings ${encodingDifference.toExponential(2)}, scores ${scoreDifference.toExponential(2)}`);
        assert.ok(boxDifference <= TOLERANCE, `boxes differ by ${boxDifference}`);
        assert.ok(encodingDifference <= TOLERANCE, `box encodings differ by ${encodingDifference}`);
        assert.ok(scoreDifference <= TOLERANCE, `scores differ by ${scoreDifference}`);

        const found = await createSsdMobilenetV1Detector(session).detect(image, { minScore: 0.5, maxFaces: 100 });
        assert.ok(expected.length > 0);
        assert.equal(found.length, expected.length);
        const corners = (b: { x: number; y: number; width: number; height: number }) => ({ x1: b.x, y1: b.y, x2: b.x + b.width, y2: b.y + b.height });
        expected.forEach((face: { score: number; box: { x: number; y: number; width: number; height: number } }, i: number) => {
          const twin = found[i]!;
          const overlap = iou(corners(face.box), corners(twin.box));
          assert.ok(overlap >= 0.99, `face ${i}: IoU ${overlap} with its twin`);
          assert.ok(Math.abs(face.score - twin.score) <= TOLERANCE, `face ${i}: score ${twin.score} vs ${face.score}`);
        });
      } finally {
        input.dispose();
      }
    });
  }
});
