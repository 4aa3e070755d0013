/**
 * int8 for an imported OpenCV network (opt-in, `import-tf --int8`): the res10
 * detector's ranges measured at import time on demo photos, every
 * convolution fused into QLinearConv, the same faces as float32, and the
 * store handing out the int8 file only when int8 is asked for. Needs the
 * network definitions in ../shared/models/opencv (skipped without them).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import ort from 'onnxruntime-node';
import { convertOpenCvTfDetector } from '../../src/convert/tf-graphdef/convert-opencv-ssd.js';
import { samplePhotoPaths } from '../../src/convert/quantize/calibration-inputs.js';
import { quantizeImported } from '../../src/convert/quantize/quantize-imported.js';
import { verifyImported } from '../../src/models/imported-store.js';
import { saveImport } from '../../src/models/saved-profiles.js';
import { ModelStore } from '../../src/models/store.js';
import { createCaffeSsdDetector } from '../../src/pipeline/detectors/caffe-ssd.js';
import { loadSample, SAMPLE_NUMBERS } from '../fixtures/faceapi-sample-faces.js';
import { OPENCV_MODELS_DIR } from '../helpers/opencv-fixtures.js';
import { optimizedOpCounts } from '../helpers/optimized-graph.js';

const skip = existsSync(OPENCV_MODELS_DIR) ? false : `${OPENCV_MODELS_DIR} is absent (../shared holds OpenCV's network files)`;

describe('int8 for the imported res10 detector (TensorFlow)', { skip }, () => {
  const load = () => {
    const pb = path.join(OPENCV_MODELS_DIR, 'opencv_face_detector_uint8.pb');
    const pbtxt = path.join(OPENCV_MODELS_DIR, 'opencv_face_detector.pbtxt');
    return convertOpenCvTfDetector(readFileSync(pb), pb, readFileSync(pbtxt, 'utf8'), pbtxt).onnx;
  };

  it('fuses every convolution and finds the same faces as float32 on the demo photos', async () => {
    const fp32 = load();
    // Two photos, as they are: enough ranges for a test, a few seconds.
    const int8 = (await quantizeImported([{ slot: 'detector', kind: 'opencv-res10-ssd', bytes: fp32 }], samplePhotoPaths().slice(0, 2), [{ name: 'original' }])).get('detector')!;
    const counts = await optimizedOpCounts(int8);
    assert.ok((counts.get('QLinearConv') ?? 0) >= 30, JSON.stringify(Object.fromEntries(counts)));
    assert.equal((counts.get('Conv') ?? 0) + (counts.get('FusedConv') ?? 0), 0);
    const detector = async (bytes: Uint8Array) => createCaffeSsdDetector(await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 }));
    const [f, q] = [await detector(fp32), await detector(int8)];
    for (const sample of SAMPLE_NUMBERS) {
      const image = await loadSample(sample);
      const options = { minScore: 0.5, maxFaces: 100 };
      assert.equal((await q.detect(image, options)).length, (await f.detect(image, options)).length, `sample${sample}`);
    }
  });

  it('is stored beside the float32 file and used only when int8 is asked for', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'faceread-int8-imported-'));
    try {
      const store = new ModelStore(dir);
      const bytes = load();
      const int8 = Uint8Array.from([1, 2, 3]); // the store only hashes and hands out files
      await saveImport(store, 'cv', [{ slot: 'detector', kind: 'opencv-res10-ssd', bytes, sources: [], int8 }], { base: 'default', importedBy: 'import-tf' });
      const asFloat = await verifyImported(store, 'cv-detector', true, 'fp32');
      const asInt8 = await verifyImported(store, 'cv-detector', true, 'int8');
      assert.deepEqual([path.basename(asFloat.path), asFloat.precision], ['cv-detector.onnx', 'fp32']);
      assert.deepEqual([path.basename(asInt8.path), asInt8.precision], ['cv-detector.int8.onnx', 'int8']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
