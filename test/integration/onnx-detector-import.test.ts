/**
 * The import checks and runners on the real third-party files in
 * ../shared/models/peers (skipped without them): each file is recognised as
 * its family and variant and refused as the other family, the YuNet files
 * are stored with a free input size, and every YuNet variant and UltraFace
 * find the faces of face-api's demo photos.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import ort from 'onnxruntime-node';
import { sessionOptions } from '../../src/engine/session-options.js';
import { createUltrafaceDetector } from '../../src/pipeline/detectors/ultraface.js';
import { inspectUltrafaceModel, prepareUltrafaceModel } from '../../src/pipeline/detectors/ultraface-import.js';
import { createYunetDetector } from '../../src/pipeline/detectors/yunet.js';
import { inspectYunetModel, prepareYunetModel } from '../../src/pipeline/detectors/yunet-import.js';
import type { FaceDetector } from '../../src/pipeline/runner-types.js';
import type { RgbImage } from '../../src/types.js';
import { SAMPLE_FACE_COUNTS, SAMPLE_PHOTOS } from '../../bench/sample-photos.js';
import { loadRgb } from '../helpers/opencv-fixtures.js';
import { PEER_FILES, peerModelsSkip } from '../helpers/peer-detectors.js';

const skip = peerModelsSkip();
const YUNET_FILES = [
  { file: PEER_FILES.yunet2022, layout: 'priors', exportedSize: [160, 120] },
  { file: PEER_FILES.yunet2023, layout: 'strides', exportedSize: [640, 640] },
  { file: PEER_FILES.yunetN, layout: 'strides', exportedSize: null },
] as const;

describe('importing the third-party ONNX detectors', { skip }, () => {
  test('each YuNet file is recognised with its layout and export size, and stored with a free input size', async () => {
    for (const { file, layout, exportedSize } of YUNET_FILES) {
      const bytes = await readFile(file);
      const info = inspectYunetModel(bytes);
      assert.equal(info.layout, layout, file);
      assert.deepEqual(info.exportedSize, exportedSize, file);
      const prepared = await prepareYunetModel(bytes);
      assert.equal(prepared.fixedSize, null, `${file} should run at any size`);
    }
  });

  test('UltraFace RFB-320 is recognised at 320x240 with 4420 priors', async () => {
    assert.deepEqual(inspectUltrafaceModel(await readFile(PEER_FILES.ultraface)), { family: 'ultraface', inputName: 'input', size: [320, 240], priors: 4420 });
  });

  test('each family refuses the other\'s files, naming what it expected', async () => {
    const ultraface = await readFile(PEER_FILES.ultraface);
    assert.throws(() => inspectYunetModel(ultraface), /Expected a YuNet face detector.*scores \[1, 4420, 2\]/s);
    for (const { file } of YUNET_FILES) {
      const bytes = await readFile(file);
      assert.throws(() => inspectUltrafaceModel(bytes), /Expected an UltraFace face detector.*no output "scores"/s, file);
    }
  });
});

describe('the imported detectors on the demo photos', { skip }, () => {
  let photos: RgbImage[];
  before(async () => {
    photos = await Promise.all(SAMPLE_PHOTOS.map(loadRgb));
  });

  async function assertFindsDemoFaces(detector: FaceDetector, minScore: number, label: string, withLandmarks: boolean) {
    for (const [i, photo] of photos.entries()) {
      const faces = await detector.detect(photo, { minScore, maxFaces: 20 });
      assert.equal(faces.length, SAMPLE_FACE_COUNTS[i], `${label}: sample${i + 1}.jpg has ${SAMPLE_FACE_COUNTS[i]} faces, found ${faces.length}`);
      for (const face of faces) {
        assert.ok(face.box.width > 50 && face.box.height > 50, `${label}: ${JSON.stringify(face.box)} is too small for a demo face`);
        if (!withLandmarks) continue;
        // Eyes, nose and mouth lie inside the face box (give or take a tenth of it: a profile's eye sits on its edge).
        const { x: bx, y: by, width: bw, height: bh } = face.box;
        for (const [x, y] of face.landmarks!) {
          assert.ok(x > bx - bw / 10 && x < bx + bw * 1.1 && y > by - bh / 10 && y < by + bh * 1.1, `${label}: landmark (${x}, ${y}) outside ${JSON.stringify(face.box)}`);
        }
      }
    }
  }

  for (const { file } of YUNET_FILES) {
    test(`YuNet ${file.split('/').pop()} finds every demo face with landmarks inside its box`, async () => {
      const session = await ort.InferenceSession.create((await prepareYunetModel(await readFile(file))).bytes, sessionOptions(1));
      await assertFindsDemoFaces(createYunetDetector(session), 0.6, file.split('/').pop()!, true);
    });
  }

  test('UltraFace RFB-320 finds every demo face', async () => {
    const session = await ort.InferenceSession.create(prepareUltrafaceModel(await readFile(PEER_FILES.ultraface)).bytes, sessionOptions(1));
    await assertFindsDemoFaces(createUltrafaceDetector(session), 0.7, 'UltraFace', false);
  });
});
