/**
 * Overload (the CI share; `npm run soak` has the long run): posting at four
 * times the measured capacity, the server keeps answering /healthz, sheds
 * the excess with 503 SERVER_BUSY + Retry-After, analyses the rest right,
 * keeps its RSS bounded, and afterwards serves normally.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { measureCapacity, openLoop, percentile, probeHealth } from '../../helpers/load-generator.js';
import { processRssMb } from '../../helpers/memory.js';
import { startServerProcess } from '../../helpers/server-process.js';
import { SAMPLE_FACES } from '../server/helpers.js';

const OVERLOAD_SECONDS = Number(process.env.FACEREAD_OVERLOAD_SECONDS ?? 12);

it(`sheds 4x its capacity for ${OVERLOAD_SECONDS} s with 503 + Retry-After, stays healthy and bounded, then serves normally`, { timeout: 180_000 }, async () => {
  const server = await startServerProcess({ FACEREAD_QUEUE_LIMIT: '8' });
  try {
    const capacity = await measureCapacity(server.url, 5);
    assert.ok(capacity > 0, 'the server analyses photos');
    const rssBefore = await processRssMb(server.pid);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => processRssMb(server.pid).then((rss) => (rssPeak = Math.max(rssPeak, rss)), () => {}), 250);
    const health = probeHealth(server.url);
    const { shots } = await openLoop(server.url, { ratePerS: capacity * 4, seconds: OVERLOAD_SECONDS });
    clearInterval(sampler);
    const healthAnswers = await health.stop();

    const served = shots.filter((shot) => shot.status === 200);
    const shed = shots.filter((shot) => shot.status === 503);
    const other = shots.filter((shot) => shot.status !== 200 && shot.status !== 503);
    assert.deepEqual(other, [], 'only 200 and 503');
    assert.ok(shed.length > shots.length / 3, `most of the excess is shed (${shed.length} of ${shots.length})`);
    assert.ok(served.length > 0);
    for (const shot of shed) assert.match(shot.retryAfter ?? '', /^[1-9]\d*$/, 'every 503 says when to retry');
    for (const shot of served) assert.equal(shot.faces, SAMPLE_FACES[shot.sample - 1]);
    // Shedding is immediate: a refused client is not kept waiting like a served one.
    assert.ok(percentile(shed.map((s) => s.ms), 50) < percentile(served.map((s) => s.ms), 50));
    assert.ok(healthAnswers.length > OVERLOAD_SECONDS, 'healthz was probed throughout');
    assert.ok(healthAnswers.every((a) => a.status === 200), 'healthz always answered 200');
    // Generous: catches a hang or unbounded growth, not scheduling noise on a shared machine.
    assert.ok(Math.max(...healthAnswers.map((a) => a.ms)) < 5_000, 'healthz never hung');
    assert.ok(rssPeak < rssBefore * 1.6, `RSS bounded: ${rssBefore.toFixed(0)} MB before, ${rssPeak.toFixed(0)} MB peak`);

    const after = await openLoop(server.url, { ratePerS: Math.max(1, capacity / 2), seconds: 3 });
    assert.ok(after.shots.length > 0 && after.shots.every((s) => s.status === 200), 'afterwards every photo is served');
  } finally {
    server.kill();
  }
});
