/**
 * The SSD MobileNetV1 detector on face-api's six demo photos (group photos
 * with a known number of faces) and on an image without a face.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import ort from 'onnxruntime-node';
import sharp from 'sharp';
import { convertSsdMobilenetV1 } from '../../src/convert/faceapi/ssd-mobilenetv1.js';
import { createSsdMobilenetV1Detector } from '../../src/pipeline/detectors/ssd-mobilenetv1.js';
import type { FaceDetector } from '../../src/pipeline/runner-types.js';
import type { RgbImage } from '../../src/types.js';
import { FACEAPI_MODEL_DIR, FACEAPI_SAMPLE_DIR } from '../helpers/faceapi-reference.js';

const FACES_PER_SAMPLE = [3, 3, 3, 4, 5, 4];
const OPTIONS = { minScore: 0.5, maxFaces: 100 };

async function readPhoto(file: string): Promise<RgbImage> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

/** A smooth colour ramp: no face anywhere. */
function gradient(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      data[o] = Math.round((255 * x) / (width - 1));
      data[o + 1] = Math.round((255 * y) / (height - 1));
      data[o + 2] = 128;
    }
  }
  return { data, width, height };
}

describe('SSD MobileNetV1 detector', () => {
  let detector: FaceDetector;

  before(async () => {
    const session = await ort.InferenceSession.create(await convertSsdMobilenetV1(FACEAPI_MODEL_DIR), { graphOptimizationLevel: 'all' });
    detector = createSsdMobilenetV1Detector(session);
  });

  FACES_PER_SAMPLE.forEach((count, i) => {
    const file = `sample${i + 1}.jpg`;
    it(`finds ${count} faces in ${file}, inside the image, best first`, async () => {
      const image = await readPhoto(path.join(FACEAPI_SAMPLE_DIR, file));
      const faces = await detector.detect(image, OPTIONS);
      assert.equal(faces.length, count);
      for (const { box, score } of faces) {
        assert.ok(score >= OPTIONS.minScore && score <= 1, `score ${score}`);
        assert.ok(box.x >= 0 && box.y >= 0 && box.width > 0 && box.height > 0, JSON.stringify(box));
        assert.ok(box.x + box.width <= image.width && box.y + box.height <= image.height, JSON.stringify(box));
      }
      const scores = faces.map((f) => f.score);
      assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
    });
  });

  it('keeps at most maxFaces, the best ones', async () => {
    const image = await readPhoto(path.join(FACEAPI_SAMPLE_DIR, 'sample5.jpg'));
    const all = await detector.detect(image, OPTIONS);
    const two = await detector.detect(image, { ...OPTIONS, maxFaces: 2 });
    assert.deepEqual(two, all.slice(0, 2));
  });

  it('finds no face in a gradient', async () => {
    assert.deepEqual(await detector.detect(gradient(800, 600), OPTIONS), []);
  });

  it('refuses pixel data that does not match the size', async () => {
    await assert.rejects(detector.detect({ data: new Uint8Array(10), width: 4, height: 4 }, OPTIONS), {
      name: 'RangeError',
      message: 'Expected 48 bytes for a 4x4 RGB image but received 10',
    });
  });
});
