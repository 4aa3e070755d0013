import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatStatus, summarizeStatus, type StatusFigures } from '../../../src/batch/batch-status.js';

const now = 1_700_000_000_000;
const base: StatusFigures = { name: 'b', counts: {}, finishedInWindow: 0, firstFinishedAt: null, lastFinishedAt: null, windowMs: 60_000, now, workers: 2 };

test('summarizeStatus: counts, rate over the window or since the first finish, and ETA', () => {
  const table: [string, Partial<StatusFigures>, Partial<ReturnType<typeof summarizeStatus>>][] = [
    ['nothing finished yet', { counts: { waiting: 10 } }, { total: 10, ratePerSecond: null, etaSeconds: null, finished: false }],
    ['young batch: rate since the first finish', { counts: { completed: 50, waiting: 40, active: 2, delayed: 3, failed: 5 }, finishedInWindow: 55, firstFinishedAt: now - 11_000 },
      { total: 100, done: 50, failed: 5, active: 2, waiting: 40, retrying: 3, ratePerSecond: 5, etaSeconds: 9, finished: false }],
    ['old batch: rate over the window', { counts: { completed: 600, waiting: 120 }, finishedInWindow: 120, firstFinishedAt: now - 3_600_000 }, { ratePerSecond: 2, etaSeconds: 60 }],
    ['stalled: no finish in a full window', { counts: { completed: 5, waiting: 5 }, finishedInWindow: 0, firstFinishedAt: now - 3_600_000 }, { ratePerSecond: 0, etaSeconds: null }],
    ['too soon to tell', { counts: { completed: 1, waiting: 5 }, finishedInWindow: 1, firstFinishedAt: now - 200 }, { ratePerSecond: null }],
    ['finished: overall rate, first to last photo', { counts: { completed: 8, failed: 2 }, finishedInWindow: 0, firstFinishedAt: now - 7_205_000, lastFinishedAt: now - 7_200_000 },
      { finished: true, etaSeconds: 0, ratePerSecond: 2 }],
    ['empty batch is not finished', { counts: {} }, { total: 0, finished: false }],
  ];
  for (const [label, figures, expected] of table) {
    const status = summarizeStatus({ ...base, ...figures });
    for (const [key, value] of Object.entries(expected)) assert.deepEqual(status[key as keyof typeof status], value, `${label}: ${key}`);
  }
});

test('formatStatus shows progress, figures, rate and ETA', () => {
  const text = formatStatus(summarizeStatus({ ...base, counts: { completed: 30, failed: 10, waiting: 60 }, finishedInWindow: 40, firstFinishedAt: now - 20_000 }));
  assert.match(text, /^batch b: in progress \(40\.0% of 100\)/);
  assert.match(text, /done 30 {2}failed 10 {2}active 0 {2}waiting 60 {2}retrying 0/);
  assert.match(text, /rate 2\.0 photos\/s {2}eta 30s {2}workers 2/);
});
