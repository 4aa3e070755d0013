/**
 * The face-api age/gender runner on the 22 faces of face-api's demo photos
 * (all young to middle-aged women): every one female, aged 15 to 45.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import ort from 'onnxruntime-node';
import { convertAgeGender } from '../../src/convert/faceapi/age-gender.js';
import { createFaceApiAgeGenderPredictor } from '../../src/pipeline/attributes/age-gender-faceapi.js';
import type { AttributePredictor } from '../../src/pipeline/runner-types.js';
import { FACEAPI_MODEL_DIR } from '../helpers/faceapi-reference.js';
import { loadSample, SAMPLE_NUMBERS, sampleFaceBoxes } from '../fixtures/faceapi-sample-faces.js';

let predictor: AttributePredictor;
before(async () => {
  const session = await ort.InferenceSession.create(await convertAgeGender(FACEAPI_MODEL_DIR), { graphOptimizationLevel: 'all' });
  predictor = createFaceApiAgeGenderPredictor(session);
});

for (const sample of SAMPLE_NUMBERS) {
  test(`sample${sample}: every face is a woman aged 15-45`, async () => {
    const image = await loadSample(sample);
    const faces = sampleFaceBoxes(sample).map((box) => ({ box, score: 1 }));
    const predictions = await predictor.predict(image, faces);
    assert.equal(predictions.length, faces.length);
    for (const [i, p] of predictions.entries()) {
      assert.equal(p.gender?.label, 'female', `face ${i}: ${JSON.stringify(p)}`);
      assert.ok(p.gender.probability > 0.5 && p.gender.probability <= 1, `face ${i}: ${JSON.stringify(p)}`);
      assert.ok(p.ageYears !== undefined && p.ageYears >= 15 && p.ageYears <= 45, `face ${i}: ${JSON.stringify(p)}`);
    }
  });
}

test('no faces means no predictions and no model run', async () => {
  const image = await loadSample(1);
  assert.deepEqual(await predictor.predict(image, []), []);
});
