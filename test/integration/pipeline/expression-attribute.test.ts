/**
 * `attributes=expression` through the analyzer on face-api's sample1.jpg,
 * checked by eye: the woman on the right laughs with her mouth open, the one
 * in the middle looks down with pressed lips, the one on the left smiles
 * slightly. The default answer has no expression and no `models.expression`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createAnalyzer } from '../../../src/analyzer.js';
import { EXPRESSION_LABELS } from '../../../src/convert/faceapi/expression.js';
import type { Analyzer } from '../../../src/types.js';
import { FACEAPI_SAMPLE_DIR } from '../../helpers/faceapi-reference.js';
import { TEST_STORE_DIR } from '../../helpers/test-store.js';

let analyzer: Analyzer;
before(async () => {
  analyzer = await createAnalyzer({ modelDir: TEST_STORE_DIR, poolSize: 1 });
});
after(() => analyzer?.close());

const SAMPLE1 = path.join(FACEAPI_SAMPLE_DIR, 'sample1.jpg');

test('expression: seven probabilities summing to 1, the top one named; the laughing face is happy, the downcast one is not', async () => {
  const result = await analyzer.analyze(SAMPLE1, { attributes: ['expression'] });
  assert.equal(result.models.expression, 'faceapi-expression');
  assert.equal(result.faces.length, 3);
  for (const face of result.faces) {
    const e = face.expression!;
    assert.deepEqual(Object.keys(e.probabilities), [...EXPRESSION_LABELS]);
    assert.ok(Math.abs(Object.values(e.probabilities).reduce((a, b) => a + b, 0) - 1) < 1e-3);
    assert.equal(e.probability, Math.max(...Object.values(e.probabilities)));
    assert.equal(e.probabilities[e.label], e.probability);
    assert.ok(!face.age && !face.gender, 'only what was asked for');
  }
  const byX = [...result.faces].sort((a, b) => a.box.x - b.box.x);
  assert.equal(byX[2]!.expression!.label, 'happy');
  assert.ok(byX[2]!.expression!.probability > 0.9);
  assert.notEqual(byX[1]!.expression!.label, 'happy');
});

test('the default answer is unchanged: no expression field, models name only the detector, age and gender', async () => {
  const result = await analyzer.analyze(SAMPLE1);
  assert.deepEqual(Object.keys(result.models), ['detector', 'age', 'gender']);
  for (const face of result.faces) assert.deepEqual(Object.keys(face), ['box', 'score', 'landmarks', 'gender', 'age']);
});
