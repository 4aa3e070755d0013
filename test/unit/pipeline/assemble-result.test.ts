import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleResult } from '../../../src/pipeline/assemble-result.js';

test('the age range is rounded like the years (the accurate profile gave 39.425831451416016)', () => {
  const result = assembleResult(
    { original: { width: 100, height: 100 }, scale: { x: 1, y: 1 } },
    {
      faces: [{ box: { x: 1, y: 1, width: 10, height: 10 }, score: 0.9, age: { years: 42.71234, bucket: '38-43', range: [39.425831451416016, 47.06001] } }],
      detectMs: 1, attributesMs: 1, models: { detector: 'd', age: 'a', gender: null },
    },
    { decodeMs: 1, totalMs: 3 },
  );
  assert.deepEqual(result.faces[0]!.age, { years: 42.7, bucket: '38-43', range: [39.4, 47.1] });
});
