import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ATTRIBUTE_NAMES } from '../../../src/attributes/registry.js';
import { resolveAnalyzeOptions } from '../../../src/pipeline/analyze-options.js';
import { FaceReadError } from '../../../src/errors.js';

test('defaults fill what is not given', () => {
  assert.deepEqual(resolveAnalyzeOptions({ minScore: 0.7 }), { minScore: 0.7, maxFaces: 100, attributes: ['age', 'gender'], orientation: 'exif' });
  assert.equal(resolveAnalyzeOptions({ orientation: 'auto' }).orientation, 'auto');
  assert.deepEqual(resolveAnalyzeOptions({ attributes: ['gender', 'gender'] }).attributes, ['gender']);
});

const bad: [object, RegExp][] = [
  [{ minScore: 1.5 }, /Expected a number between 0 and 1 for minScore but received 1.5 of type number/],
  [{ minScore: 'high' }, /for minScore but received 'high' of type string/],
  [{ minScore: Number.NaN }, /for minScore but received NaN/],
  [{ maxFaces: 0 }, /Expected an integer between 1 and 1000 for maxFaces but received 0/],
  [{ maxFaces: 2.5 }, /for maxFaces but received 2.5/],
  // Every registered attribute is named (src/attributes/registry.ts).
  [{ attributes: ['age', 'emotion'] }, new RegExp(`Expected a list of: ${ATTRIBUTE_NAMES.join(', ')} for attributes but received 'age,emotion'`)],
  [{ attributes: 'age' }, /for attributes but received 'age' of type string/],
  [{ orientation: 'upright' }, /Expected one of: exif, auto for orientation but received 'upright'/],
];

for (const [options, message] of bad) {
  test(`refuses ${JSON.stringify(options)} with INVALID_OPTION`, () => {
    assert.throws(() => resolveAnalyzeOptions(options as never), (error: unknown) => {
      assert.ok(error instanceof FaceReadError);
      assert.equal(error.code, 'INVALID_OPTION');
      assert.equal(error.statusCode, 400);
      assert.match(error.message, message);
      return true;
    });
  });
}
