import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { iou, nonMaxSuppression, type Corners, type NmsOptions } from '../../../src/pipeline/nms.js';

const square = (x: number, y: number, side = 10): Corners => ({ x1: x, y1: y, x2: x + side, y2: y + side });
const defaults: NmsOptions = { iouThreshold: 0.5, scoreThreshold: 0.1, maxOutputs: 100 };

describe('iou', () => {
  const cases: Array<[string, Corners, Corners, number]> = [
    ['identical boxes', square(0, 0), square(0, 0), 1],
    ['disjoint boxes', square(0, 0), square(20, 20), 0],
    ['touching edges', square(0, 0), square(10, 0), 0],
    ['half shifted', { x1: 0, y1: 0, x2: 2, y2: 2 }, { x1: 1, y1: 0, x2: 3, y2: 2 }, 1 / 3],
    ['corners in either order', { x1: 2, y1: 2, x2: 0, y2: 0 }, { x1: 1, y1: 0, x2: 3, y2: 2 }, 1 / 3],
    ['zero-area box', { x1: 0, y1: 0, x2: 0, y2: 5 }, square(0, 0), 0],
  ];
  for (const [name, a, b, expected] of cases) {
    it(name, () => assert.ok(Math.abs(iou(a, b) - expected) < 1e-12, `${iou(a, b)} != ${expected}`));
  }
});

describe('nonMaxSuppression', () => {
  const cases: Array<{ name: string; boxes: Corners[]; scores: number[]; options?: Partial<NmsOptions>; kept: number[] }> = [
    { name: 'keeps nothing from nothing', boxes: [], scores: [], kept: [] },
    { name: 'overlapping lower score is suppressed', boxes: [square(0, 0), square(1, 1)], scores: [0.8, 0.9], kept: [1] },
    { name: 'disjoint boxes are all kept, best first', boxes: [square(0, 0), square(50, 0), square(0, 50)], scores: [0.3, 0.9, 0.6], kept: [1, 2, 0] },
    // Shifted by 5 of 10: IoU = 50 / 150 = 1/3.
    { name: 'IoU equal to the threshold is kept', boxes: [square(0, 0), square(5, 0)], scores: [0.9, 0.8], options: { iouThreshold: 1 / 3 }, kept: [0, 1] },
    { name: 'IoU just above the threshold is dropped', boxes: [square(0, 0), square(5, 0)], scores: [0.9, 0.8], options: { iouThreshold: 0.33 }, kept: [0] },
    { name: 'score equal to scoreThreshold is dropped', boxes: [square(0, 0), square(50, 0)], scores: [0.5, 0.7], options: { scoreThreshold: 0.5 }, kept: [1] },
    { name: 'maxOutputs caps the result', boxes: [square(0, 0), square(50, 0), square(100, 0)], scores: [0.7, 0.9, 0.8], options: { maxOutputs: 2 }, kept: [1, 2] },
    // 0-3 and 3-6 overlap with IoU 0.54, 0-6 with 0.25.
    { name: 'a suppressed box does not suppress others', boxes: [square(0, 0), square(3, 0), square(6, 0)], scores: [0.9, 0.8, 0.7], kept: [0, 2] },
    { name: 'equal scores keep input order', boxes: [square(50, 0), square(0, 0)], scores: [0.6, 0.6], kept: [0, 1] },
  ];
  for (const { name, boxes, scores, options, kept } of cases) {
    it(name, () => assert.deepEqual(nonMaxSuppression(boxes, scores, { ...defaults, ...options }), kept));
  }

  it('refuses a score count that differs from the box count', () => {
    assert.throws(() => nonMaxSuppression([square(0, 0)], [0.5, 0.6], defaults), {
      name: 'RangeError',
      message: 'Expected one score per box but received 2 scores for 1 boxes',
    });
  });
});
