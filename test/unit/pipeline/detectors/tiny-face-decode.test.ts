import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTinyFaceGrid, photoExtent, TINY_FACE_ANCHORS } from '../../../../src/pipeline/detectors/tiny-face-decode.js';

test('photoExtent is the rounded share of the square input the photo fills', () => {
  assert.deepEqual(photoExtent(1920, 1280, 416), { x: 1, y: 277 / 416 });
  assert.deepEqual(photoExtent(300, 600, 416), { x: 208 / 416, y: 1 });
  assert.deepEqual(photoExtent(500, 500, 416), { x: 1, y: 1 });
});

test('decodeTinyFaceGrid places a confident anchor by sigmoid offsets and exp-scaled anchor size', () => {
  const cells = 2;
  const grid = new Float32Array(cells * cells * 25).fill(-10); // every score sigmoid(-10) ~ 0
  // Cell row 1, col 0, anchor 2: centre offsets 0.5 (logit 0), size exactly the anchor (log 0), score logit 2.
  const at = ((1 * cells + 0) * 5 + 2) * 5;
  grid.set([0, 0, 0, 0, 2], at);
  const found = decodeTinyFaceGrid(grid, cells, { x: 1, y: 0.5 }, 0.5);
  assert.equal(found.length, 1);
  const [anchorW, anchorH] = TINY_FACE_ANCHORS[2]!;
  const { corners, score } = found[0]!;
  assert.ok(Math.abs(score - 1 / (1 + Math.exp(-2))) < 1e-12);
  const w = anchorW / cells;
  const h = anchorH / cells / 0.5;
  assert.ok(Math.abs(corners.x1 - (0.25 - w / 2)) < 1e-9 && Math.abs(corners.x2 - corners.x1 - w) < 1e-9);
  assert.ok(Math.abs(corners.y1 - (0.75 / 0.5 - h / 2)) < 1e-9 && Math.abs(corners.y2 - corners.y1 - h) < 1e-9);
});

test('decodeTinyFaceGrid rejects a grid of the wrong size', () => {
  assert.throws(() => decodeTinyFaceGrid(new Float32Array(10), 2, { x: 1, y: 1 }, 0.5), /Expected a 2x2x25 grid but received 10 values/);
});
