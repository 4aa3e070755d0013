/**
 * OpenCV's TensorFlow res10 face detector with its real, trained weights
 * (../shared/models/opencv/opencv_face_detector_uint8.pb + .pbtxt), converted
 * by FaceRead, against `cv2.dnn.readNetFromTensorflow` on the demo photos:
 * raw outputs within 1e-4 relative on OpenCV's blob, and end to end (FaceRead's
 * own blob and DetectionOutput) the same faces within 0.5 px and 1e-4. The
 * LearnOpenCV app's preprocessing (mean (104, 117, 123), swapRB=True) is
 * reproduced exactly too, for its users; it finds fewer faces than OpenCV's.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { convertOpenCvTfDetector } from '../../../src/convert/tf-graphdef/convert-opencv-ssd.js';
import { caffeSsdDetectorWith, CLASSIC_APP_PREPROCESS, createCaffeSsdDetector, RES10_MEAN_BGR } from '../../../src/pipeline/detectors/caffe-ssd.js';
import { writeOpenCvBlob } from '../../../src/image/opencv-blob.js';
import type { RgbImage } from '../../../src/types.js';
import { runOpenCv } from '../../helpers/opencv-dnn.js';
import { assertClose, conformanceSkip, loadRgb, OPENCV_MODELS_DIR, SAMPLE_PHOTOS } from '../../helpers/opencv-fixtures.js';

const skip = conformanceSkip();
const pb = path.join(OPENCV_MODELS_DIR, 'opencv_face_detector_uint8.pb');
const pbtxt = path.join(OPENCV_MODELS_DIR, 'opencv_face_detector.pbtxt');

describe('res10 face detector (TensorFlow, real weights) vs cv2.dnn.readNetFromTensorflow', { skip }, () => {
  let session: ort.InferenceSession;
  let photos: RgbImage[];
  before(async () => {
    session = await ort.InferenceSession.create(convertOpenCvTfDetector(readFileSync(pb), pb, readFileSync(pbtxt, 'utf8'), pbtxt).onnx);
    photos = await Promise.all(SAMPLE_PHOTOS.map(loadRgb));
  });

  test('raw outputs within 1e-4 and the same faces (0.5 px, 1e-4) on every demo photo', async () => {
    const reference = runOpenCv({ framework: 'tensorflow', model: pb, config: pbtxt }, photos.map((p) => ({
      input: { rgb: p.data, width: p.width, height: p.height, size: [300, 300], mean: [...RES10_MEAN_BGR] },
      outputs: ['mbox_loc', 'mbox_conf_flatten', 'detection_out'],
    })));
    let faces = 0;
    for (const [i, photo] of photos.entries()) {
      const ref = reference.runs[i]!;
      const out = await session.run({ data: new ort.Tensor('float32', ref.blob.data, [1, 3, 300, 300]) });
      assertClose(out.loc!.data as Float32Array, ref.outputs.mbox_loc!.data, 1e-4, `photo ${i} mbox_loc`);
      assertClose(out.conf!.data as Float32Array, ref.outputs.mbox_conf_flatten!.data, 1e-4, `photo ${i} mbox_conf_flatten`);
      const found = await createCaffeSsdDetector(session).detect(photo, { minScore: 0.5, maxFaces: 100 });
      const rows = ref.outputs.detection_out!.data;
      const expected: Float32Array[] = [];
      for (let r = 0; r < rows.length / 7; r++) if (rows[r * 7 + 1] === 1 && rows[r * 7 + 2]! > 0.5) expected.push(rows.subarray(r * 7, r * 7 + 7));
      assert.equal(found.length, expected.length, `photo ${i}: ${found.length} faces, OpenCV finds ${expected.length}`);
      found.forEach((face, k) => {
        const [, , score, x1, y1, x2, y2] = expected[k]!;
        assert.ok(Math.abs(face.score - score!) <= 1e-4, `photo ${i} face ${k}: score ${face.score} vs ${score}`);
        const want = [x1! * photo.width, y1! * photo.height, x2! * photo.width, y2! * photo.height].map((v, j) => Math.min(Math.max(v, 0), j % 2 ? photo.height : photo.width));
        const got = [face.box.x, face.box.y, face.box.x + face.box.width, face.box.y + face.box.height];
        got.forEach((v, j) => assert.ok(Math.abs(v - want[j]!) <= 0.5, `photo ${i} face ${k}: corner ${j} at ${v}, OpenCV ${want[j]}`));
      });
      faces += found.length;
    }
    // The demo photos hold faces; a detector that finds none would pass the comparisons above vacuously.
    assert.ok(faces >= 6, `only ${faces} faces found on the demo photos`);
  });

  test('the LearnOpenCV app\'s preprocessing: the same blob as its blobFromImage(..., [104, 117, 123], swapRB=True) and the same faces; fewer than OpenCV\'s sample finds', async () => {
    const reference = runOpenCv({ framework: 'tensorflow', model: pb, config: pbtxt }, photos.map((p) => ({
      input: { rgb: p.data, width: p.width, height: p.height, size: [300, 300], mean: [...CLASSIC_APP_PREPROCESS.meanBgr], swapRB: true },
      outputs: ['detection_out'],
    })));
    const classic = caffeSsdDetectorWith(CLASSIC_APP_PREPROCESS)(session);
    const sample = createCaffeSsdDetector(session);
    let classicFaces = 0;
    let sampleFaces = 0;
    for (const [i, photo] of photos.entries()) {
      const ref = reference.runs[i]!;
      const blob = new Float32Array(3 * 300 * 300);
      writeOpenCvBlob(photo, { size: [300, 300], meanBgr: CLASSIC_APP_PREPROCESS.meanBgr, channels: 'rgb' }, blob, 0);
      assert.deepEqual(blob, ref.blob.data, `photo ${i}: the blob equals OpenCV's byte for byte`);
      const found = await classic.detect(photo, { minScore: 0.5, maxFaces: 100 });
      const rows = ref.outputs.detection_out!.data;
      const expected: number[] = [];
      for (let r = 0; r < rows.length / 7; r++) if (rows[r * 7 + 1] === 1 && rows[r * 7 + 2]! > 0.5) expected.push(rows[r * 7 + 2]!);
      assert.equal(found.length, expected.length, `photo ${i}: ${found.length} faces, the classic app's OpenCV call finds ${expected.length}`);
      found.forEach((face, k) => assert.ok(Math.abs(face.score - expected[k]!) <= 1e-4, `photo ${i} face ${k}: score ${face.score} vs ${expected[k]}`));
      classicFaces += found.length;
      sampleFaces += (await sample.detect(photo, { minScore: 0.5, maxFaces: 100 })).length;
    }
    console.log(`# res10 TF on the ${photos.length} demo photos, score > 0.5: OpenCV sample preprocessing ${sampleFaces} faces, LearnOpenCV app's ${classicFaces}`);
    assert.ok(classicFaces < sampleFaces, 'the mistyped mean misses faces the right one finds on these photos');
  });
});
