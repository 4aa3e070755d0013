/**
 * The Caffe converter and the imported-model runners against OpenCV 4.6's
 * DNN module (`cv2.dnn.readNetFromCaffe`), on the real network definitions
 * from ../shared/models/opencv with random weights (or the real ones when
 * $FACEREAD_CAFFE_DIR holds them), on the face-api demo photos:
 * - FaceRead's blob (OpenCV-exact resize, BGR, mean) equals OpenCV's byte for byte;
 * - raw network outputs on OpenCV's blob within 1e-4 relative (atol 1e-4 of the output's range);
 * - after DetectionOutput: the same boxes within 0.5 px and scores within 1e-4.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { convertCaffeModel } from '../../../src/convert/caffe/convert-caffe.js';
import { writeOpenCvBlob } from '../../../src/image/opencv-blob.js';
import { createLeviHassnerAgePredictor, createLeviHassnerGenderPredictor, expectedAge, leviHassnerBatch, leviHassnerCrop, LEVI_HASSNER_MEAN_BGR } from '../../../src/pipeline/attributes/levi-hassner.js';
import { createCaffeSsdDetector, RES10_MEAN_BGR } from '../../../src/pipeline/detectors/caffe-ssd.js';
import type { Detection, RgbImage } from '../../../src/types.js';
import { runOpenCv } from '../../helpers/opencv-dnn.js';
import { assertClose, caffeModelFor, conformanceSkip, loadRgb, OPENCV_MODELS_DIR, SAMPLE_PHOTOS } from '../../helpers/opencv-fixtures.js';

const skip = conformanceSkip();
const RTOL = 1e-4;
const definition = (name: string) => path.join(OPENCV_MODELS_DIR, name);

describe('res10 SSD face detector (Caffe) vs cv2.dnn.readNetFromCaffe', { skip }, () => {
  // Random weights: scaled so activations stay moderate through the residual net and the
  // confidence head gives spread-out scores (all-1 scores would make NMS order arbitrary).
  const weights = () => caffeModelFor('deploy.prototxt', { seed: 11, weightScale: 0.5, gain: { pattern: /mbox_(conf|loc)$/, factor: 0.05 } });
  let session: ort.InferenceSession;
  let photos: RgbImage[];
  before(async () => {
    session = await ort.InferenceSession.create((await convertCaffeModel(definition('deploy.prototxt'), weights().file)).onnx);
    photos = await Promise.all(SAMPLE_PHOTOS.slice(0, 3).map(loadRgb));
  });

  test('same blob, raw outputs within 1e-4 and same detections as OpenCV', async () => {
    const net = { framework: 'caffe' as const, config: definition('deploy.prototxt'), model: weights().file };
    const reference = runOpenCv(net, photos.map((p) => ({
      input: { rgb: p.data, width: p.width, height: p.height, size: [300, 300], mean: [...RES10_MEAN_BGR] },
      outputs: ['mbox_loc', 'mbox_conf_flatten', 'detection_out'],
    })));
    let compared = 0;
    for (const [i, photo] of photos.entries()) {
      const ref = reference.runs[i]!;
      const blob = new Float32Array(3 * 300 * 300);
      writeOpenCvBlob(photo, { size: [300, 300], meanBgr: RES10_MEAN_BGR }, blob, 0);
      assert.deepEqual(blob, ref.blob.data, `sample photo ${i}: the blob differs from cv2.dnn.blobFromImage`);
      const out = await session.run({ data: new ort.Tensor('float32', ref.blob.data, [1, 3, 300, 300]) });
      assertClose(out.loc!.data as Float32Array, ref.outputs.mbox_loc!.data, RTOL, 'mbox_loc');
      assertClose(out.conf!.data as Float32Array, ref.outputs.mbox_conf_flatten!.data, RTOL, 'mbox_conf_flatten');

      const faces = await createCaffeSsdDetector(session).detect(photo, { minScore: 0.3, maxFaces: 200 });
      const rows = ref.outputs.detection_out!.data;
      const expected: Detection[] = [];
      for (let r = 0; r < rows.length / 7; r++) {
        const [, label, score, x1, y1, x2, y2] = rows.subarray(r * 7, r * 7 + 7);
        // OpenCV pads its output with zero rows up to keep_top_k.
        if (label !== 1 || !(score! > 0.3)) continue;
        const clamp = (v: number, max: number) => Math.min(Math.max(v, 0), max);
        const [px1, py1, px2, py2] = [clamp(x1! * photo.width, photo.width), clamp(y1! * photo.height, photo.height), clamp(x2! * photo.width, photo.width), clamp(y2! * photo.height, photo.height)];
        expected.push({ box: { x: px1, y: py1, width: px2 - px1, height: py2 - py1 }, score: score! });
      }
      assert.ok(expected.length > 0, 'the random weights should give detections above 0.3 (test set-up)');
      assert.equal(faces.length, expected.length, `sample photo ${i}: ${faces.length} faces, OpenCV finds ${expected.length}`);
      faces.forEach((face, k) => {
        const want = expected[k]!;
        assert.ok(Math.abs(face.score - want.score) <= 1e-4, `face ${k}: score ${face.score} vs OpenCV ${want.score}`);
        for (const key of ['x', 'y', 'width', 'height'] as const) {
          assert.ok(Math.abs(face.box[key] - want.box[key]) <= 0.5, `face ${k}: ${key} ${face.box[key]} vs OpenCV ${want.box[key]}`);
        }
      });
      compared += faces.length;
    }
    assert.ok(compared > 0);
  });
});

for (const kind of ['age', 'gender'] as const) {
  describe(`Levi-Hassner ${kind} network (legacy V1 Caffe) vs cv2.dnn.readNetFromCaffe`, { skip }, () => {
    const file = `deploy_${kind}.prototxt`;
    // Legacy `layers` blobs with num/channels/height/width, as the original caffemodels are.
    const weights = () => caffeModelFor(file, { seed: kind === 'age' ? 21 : 22, legacy: true, weightScale: 0.7 });
    let session: ort.InferenceSession;
    before(async () => {
      session = await ort.InferenceSession.create((await convertCaffeModel(definition(file), weights().file, { extraOutputs: ['fc8', 'pool2'] })).onnx);
    });

    test('same face crops, prob, fc8 and pool2 within 1e-4 of OpenCV', async () => {
      const photo = await loadRgb(SAMPLE_PHOTOS[0]!);
      const faces: Detection[] = [
        { box: { x: 100.6, y: 80.2, width: 120.5, height: 150.3 }, score: 1 },
        { box: { x: 5, y: 10, width: 60, height: 70 }, score: 1 },
        { box: { x: photo.width - 90, y: photo.height - 100, width: 89.9, height: 99.5 }, score: 1 },
      ];
      const net = { framework: 'caffe' as const, config: definition(file), model: weights().file };
      const reference = runOpenCv(net, faces.map((face) => {
        const r = leviHassnerCrop(face.box, photo.width, photo.height);
        return {
          input: { rgb: photo.data, width: photo.width, height: photo.height, size: [227, 227] as [number, number], mean: [...LEVI_HASSNER_MEAN_BGR], roi: [r.x1, r.y1, r.x2, r.y2] as [number, number, number, number] },
          outputs: ['prob', 'fc8', 'pool2'],
        };
      }));
      const batch = leviHassnerBatch(photo, faces);
      const plane = 3 * 227 * 227;
      faces.forEach((_, i) => assert.deepEqual((batch.data as Float32Array).subarray(i * plane, (i + 1) * plane), reference.runs[i]!.blob.data, `face ${i}: crop blob differs from OpenCV's`));
      const out = await session.run({ data: batch });
      const classes = kind === 'age' ? 8 : 2;
      faces.forEach((_, i) => {
        const ref = reference.runs[i]!.outputs;
        const slice = (name: string) => {
          const data = out[name]!.data as Float32Array;
          const per = data.length / faces.length;
          return data.subarray(i * per, (i + 1) * per);
        };
        assertClose(slice('prob'), ref.prob!.data, RTOL, `face ${i} prob`);
        assertClose(slice('blob:fc8'), ref.fc8!.data, RTOL, `face ${i} fc8`);
        assertClose(slice('blob:pool2'), ref.pool2!.data, RTOL, `face ${i} pool2`);
        assert.equal(ref.prob!.data.length, classes);
      });
      const predictor = (kind === 'age' ? createLeviHassnerAgePredictor : createLeviHassnerGenderPredictor)(session);
      const predictions = await predictor.predict(photo, faces);
      predictions.forEach((p, i) => {
        const ref = reference.runs[i]!.outputs.prob!.data;
        if (kind === 'age') assert.ok(Math.abs(p.ageYears! - expectedAge(ref)) < 1e-3, `face ${i}: ${p.ageYears} years vs ${expectedAge(ref)} from OpenCV's probabilities`);
        else assert.equal(p.gender!.label, ref[1]! > ref[0]! ? 'female' : 'male');
      });
    });
  });
}
