import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anchorTable, blazefaceAnchors } from '../../../../src/pipeline/detectors/blazeface.js';

test('896 anchors for 128 and 256 px inputs: 16x16x2 then 8x8x6', () => {
  for (const size of [128, 256]) {
    const anchors = blazefaceAnchors(size);
    assert.equal(anchors.length, 896);
    const fine = size / 16;
    assert.deepEqual(anchors[0], [fine / 2, fine / 2]);
    assert.deepEqual(anchors[1], [fine / 2, fine / 2]);
    assert.deepEqual(anchors[2], [fine * 1.5, fine / 2]);
    assert.deepEqual(anchors[512], [fine, fine]);
    assert.deepEqual(anchors[895], [size - fine, size - fine]);
  }
});

test('split outputs are joined into one table, the 512-anchor grid first', () => {
  const scores384 = Float32Array.from({ length: 384 }, () => 3);
  const scores512 = Float32Array.from({ length: 512 }, () => 5);
  const boxes384 = Float32Array.from({ length: 384 * 16 }, (_, i) => (i % 16 === 0 ? 30 : 0));
  const boxes512 = Float32Array.from({ length: 512 * 16 }, (_, i) => (i % 16 === 0 ? 50 : 0));
  const table = anchorTable([boxes512, scores384, boxes384, scores512]);
  assert.equal(table.length, 896 * 17);
  assert.deepEqual([table[0], table[1], table[511 * 17], table[512 * 17], table[512 * 17 + 1], table[895 * 17]], [5, 50, 5, 3, 30, 3]);
  assert.throws(() => anchorTable([scores384, scores512]), /expected 1 or 4/);
});
