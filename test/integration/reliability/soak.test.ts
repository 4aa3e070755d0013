/**
 * A short soak (the CI share of `npm run soak -- --minutes 30`): 36 s at 70%
 * of measured capacity in four windows. No errors at all; RSS and p99 are
 * held to generous bounds that catch a leak or a stall, not noise.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { runSoak } from '../../helpers/soak-run.js';

it('serves steady load at 70% of capacity without an error, RSS and latency steady', { timeout: 180_000 }, async () => {
  const report = await runSoak({ totalSeconds: 36, windowSeconds: 9, capacitySeconds: 5 });
  assert.equal(report.windows.length, 4, JSON.stringify(report));
  assert.deepEqual(report.errorStatuses, {}, 'no errors');
  for (const window of report.windows) {
    assert.ok(window.served > 0, `window ${window.index} served photos`);
    assert.equal(window.errors, 0);
  }
  assert.ok(report.rssGrowth < 0.2, `RSS growth ${(report.rssGrowth * 100).toFixed(1)}%: ${JSON.stringify(report.windows)}`);
  const p99s = report.windows.map((w) => w.p99Ms);
  assert.ok(Math.max(...p99s) < 10 * Math.min(...p99s), `p99 stays in one order of magnitude: ${p99s}`);
});
