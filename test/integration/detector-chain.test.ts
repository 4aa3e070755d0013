/**
 * The detector chain with real runners: face-api's SSD first, BlazeFace
 * (the 256 px model @vladmandic/human ships) as the fallback, on a group
 * photo, a close-up cut from it that SSD misses, and a plain photo.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import ort from 'onnxruntime-node';
import sharp, { type Sharp } from 'sharp';
import { convertSsdMobilenetV1 } from '../../src/convert/faceapi/ssd-mobilenetv1.js';
import { BLAZEFACE_BACK_SIZE, convertBlazefaceBack } from '../../src/convert/human/blazeface.js';
import { packageFolder } from '../../src/models/package-folder.js';
import { blazefaceDetector } from '../../src/pipeline/detectors/blazeface.js';
import { detectorChain } from '../../src/pipeline/detectors/detector-chain.js';
import { createSsdMobilenetV1Detector } from '../../src/pipeline/detectors/ssd-mobilenetv1.js';
import type { FaceDetector } from '../../src/pipeline/runner-types.js';
import type { RgbImage } from '../../src/types.js';
import { FACEAPI_MODEL_DIR, FACEAPI_SAMPLE_DIR } from '../helpers/faceapi-reference.js';

const options = { minScore: 0.5, maxFaces: 100 };
/** The left face of sample1.jpg cut square at 0.8x its SSD box: a close-up SSD finds nothing in. */
const CLOSE_UP = { left: 407, top: 378, width: 192, height: 192 };

async function rgb(image: Sharp): Promise<RgbImage> {
  const { data, info } = await image.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

/** A real detector that also counts its calls. */
function counted(detector: FaceDetector) {
  const counter = { calls: 0, detector: { ...detector, detect: (image: RgbImage, o: typeof options) => (counter.calls++, detector.detect(image, o)) } };
  return counter;
}

describe('detector chain: SSD, then BlazeFace', () => {
  let ssd: FaceDetector;
  let blazeface: FaceDetector;
  let group: RgbImage;
  let closeUp: RgbImage;

  before(async () => {
    const session = (bytes: Uint8Array) => ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    ssd = createSsdMobilenetV1Detector(await session(await convertSsdMobilenetV1(FACEAPI_MODEL_DIR)));
    const human = packageFolder('@vladmandic/human');
    assert.ok(human, '@vladmandic/human is installed');
    blazeface = blazefaceDetector(BLAZEFACE_BACK_SIZE)(await session(await convertBlazefaceBack(path.join(human, 'models'))));
    group = await rgb(sharp(path.join(FACEAPI_SAMPLE_DIR, 'sample1.jpg')));
    closeUp = await rgb(sharp(path.join(FACEAPI_SAMPLE_DIR, 'sample1.jpg')).extract(CLOSE_UP));
  });

  it("answers with SSD's faces where SSD finds some, never asking the fallback", async () => {
    const fallback = counted(blazeface);
    const chain = detectorChain([{ id: 'ssd', detector: ssd }, { id: 'blazeface', detector: fallback.detector, minScore: 0.75 }]);
    const alone = await ssd.detect(group, options);
    assert.equal(alone.length, 3);
    const { faces, link } = await chain.detectWithLink(group, options);
    assert.equal(link, 'ssd');
    assert.deepEqual(faces, alone);
    assert.equal(fallback.calls, 0);
  });

  it('finds the close-up SSD misses, with BlazeFace, boxed on the face in the close-up\'s pixels', async () => {
    assert.deepEqual(await ssd.detect(closeUp, options), [], 'SSD alone finds nothing in the close-up');
    const chain = detectorChain([{ id: 'ssd', detector: ssd }, { id: 'blazeface', detector: blazeface, minScore: 0.75 }]);
    const { faces, link } = await chain.detectWithLink(closeUp, options);
    assert.equal(link, 'blazeface');
    assert.equal(faces.length, 1);
    const { box, score } = faces[0]!;
    assert.ok(score >= 0.75);
    // The face fills the crop: its box covers the centre, lies inside and spans most of it.
    assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= closeUp.width && box.y + box.height <= closeUp.height);
    assert.ok(box.x < closeUp.width / 2 && box.x + box.width > closeUp.width / 2 && box.y < closeUp.height / 2 && box.y + box.height > closeUp.height / 2);
    assert.ok(box.width > closeUp.width * 0.5, `box ${JSON.stringify(box)}`);
  });

  it('finds nothing on a plain photo, after asking both detectors', async () => {
    const plain: RgbImage = { data: new Uint8Array(320 * 240 * 3).fill(128), width: 320, height: 240 };
    const first = counted(ssd);
    const fallback = counted(blazeface);
    const chain = detectorChain([{ id: 'ssd', detector: first.detector }, { id: 'blazeface', detector: fallback.detector, minScore: 0.75 }]);
    assert.deepEqual(await chain.detectWithLink(plain, options), { faces: [], link: null, model: null });
    assert.deepEqual([first.calls, fallback.calls], [1, 1]);
  });
});
