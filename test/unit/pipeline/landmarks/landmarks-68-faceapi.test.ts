import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fivePointsOf68, toImagePoints } from '../../../../src/pipeline/landmarks/landmarks-68-faceapi.js';
import type { Point } from '../../../../src/types.js';

test('toImagePoints undoes the square padding and the crop offset', () => {
  // Second face of the batch; a 40 x 25 region at (100, 200) padded to 40 x 40 with 7 rows on top.
  const raw = new Float32Array(2 * 136);
  raw[136] = 0.5;
  raw[137] = 0.25;
  const points = toImagePoints(raw, 1, { region: { x: 100, y: 200, width: 40, height: 25 }, layout: { side: 40, padLeft: 0, padTop: 7 } });
  assert.equal(points.length, 68);
  assert.deepEqual(points[0], [120, 203]);
});

test('fivePointsOf68 averages each eye and picks nose tip and mouth corners', () => {
  const points: Point[] = Array.from({ length: 68 }, (_, i) => [i, 1000 + i]);
  assert.deepEqual(fivePointsOf68(points), [
    [38.5, 1038.5],
    [44.5, 1044.5],
    [30, 1030],
    [48, 1048],
    [54, 1054],
  ]);
});
