import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveWorkerTimings, WORKER_TIMING_DEFAULTS } from '../../../src/batch/worker-settings.js';

test('worker timings: defaults, then environment, then flags', () => {
  assert.deepEqual(resolveWorkerTimings({}), { ...WORKER_TIMING_DEFAULTS });
  assert.deepEqual(resolveWorkerTimings({ FACEREAD_BATCH_LOCK_MS: '2000', FACEREAD_BATCH_STALLED_MS: '500' }), { lockDurationMs: 2000, stalledIntervalMs: 500, maxStalledCount: 1 });
  assert.deepEqual(resolveWorkerTimings({ FACEREAD_BATCH_LOCK_MS: '2000' }, { lockDurationMs: 9000, maxStalledCount: 3 }), { lockDurationMs: 9000, stalledIntervalMs: 30_000, maxStalledCount: 3 });
  assert.ok(Object.isFrozen(resolveWorkerTimings({})));
});

test('worker timings: bad values name their source', () => {
  assert.throws(() => resolveWorkerTimings({ FACEREAD_BATCH_LOCK_MS: 'soon' }), /Expected an integer number of milliseconds between 100 and 3600000 for FACEREAD_BATCH_LOCK_MS but received 'soon'/);
  assert.throws(() => resolveWorkerTimings({}, { stalledIntervalMs: 5 }), /for stalledIntervalMs but received 5 of type number/);
  assert.throws(() => resolveWorkerTimings({}, { maxStalledCount: -1 }), /for maxStalledCount/);
});
