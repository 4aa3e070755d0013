import { test } from 'node:test';
import assert from 'node:assert/strict';
import { averagePrecision, detectionMetrics, detectionReport } from '../../../../src/eval/metrics/detection-metrics.js';

const box = (x: number, y: number, side: number) => ({ x, y, width: side, height: side });

test('perfect detections give AP 1; a high-scoring false positive lowers it', () => {
  const truth = [{ box: box(0, 0, 50), ignore: false }, { box: box(100, 0, 50), ignore: false }];
  const perfect = detectionMetrics([{ truth, detections: [{ box: box(1, 1, 50), score: 0.9 }, { box: box(100, 0, 48), score: 0.8 }] }]);
  assert.deepEqual(perfect, { faces: 2, detections: 2, ap50: 1, recallAtPrecision90: 1, maxRecall: 1 });
  const withFalse = detectionMetrics([{ truth, detections: [{ box: box(300, 300, 50), score: 0.95 }, { box: box(1, 1, 50), score: 0.9 }, { box: box(100, 0, 48), score: 0.8 }] }]);
  // Precision 0, 1/2, 2/3 at recall 0, 0.5, 1: envelope 2/3 everywhere.
  assert.ok(Math.abs(withFalse.ap50 - 2 / 3) < 1e-12);
  assert.equal(withFalse.recallAtPrecision90, 0);
});

test('a duplicate detection is a false positive; a detection on an ignored face is not', () => {
  const truth = [{ box: box(0, 0, 50), ignore: false }, { box: box(200, 200, 10), ignore: true }];
  const m = detectionMetrics([{ truth, detections: [{ box: box(0, 0, 50), score: 0.9 }, { box: box(2, 2, 50), score: 0.8 }, { box: box(200, 200, 10), score: 0.85 }] }]);
  assert.equal(m.faces, 1);
  assert.equal(m.detections, 2);
  assert.equal(m.ap50, 1);
  assert.equal(m.recallAtPrecision90, 1);
});

test('missed faces cap recall; sizes are judged by the larger side', () => {
  const truth = [{ box: box(0, 0, 20), ignore: false }, { box: box(100, 100, 200), ignore: false }];
  const { overall, bySize } = detectionReport([{ truth, detections: [{ box: box(100, 100, 190), score: 0.7 }] }]);
  assert.equal(overall.maxRecall, 0.5);
  assert.equal(bySize.small.faces, 1);
  assert.equal(bySize.small.maxRecall, 0);
  assert.equal(bySize.large.ap50, 1);
  assert.equal(bySize.medium.faces, 0);
});

test('average precision integrates the precision envelope', () => {
  assert.ok(Math.abs(averagePrecision([1, 0.5, 2 / 3], [0.5, 0.5, 1]) - (0.5 * 1 + 0.5 * 2 / 3)) < 1e-12);
  assert.equal(averagePrecision([], []), 0);
});
