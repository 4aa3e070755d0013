import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createAnalysisGate } from '../../../src/server/analysis-gate.js';
import { fakeAnalyzer } from '../../integration/server/helpers.js';

it('admits up to queueLimit waiting photos, all of a batch or none, and frees slots after', async () => {
  const gate = createAnalysisGate(fakeAnalyzer({ delayMs: 50, slots: 1 }), { queueLimit: 3, timeoutMs: 5000 });
  const first = gate.analyzeMany([Buffer.from('a'), Buffer.from('b'), Buffer.from('c')], {});
  assert.equal(gate.load().admitted, 3);
  assert.throws(() => gate.analyzeMany([Buffer.from('d'), Buffer.from('e')], {}), { code: 'SERVER_BUSY' });
  assert.ok(gate.retryAfterSeconds() >= 1 && gate.retryAfterSeconds() <= 60);
  await Promise.all(first);
  assert.deepEqual(gate.load(), { admitted: 0, queued: 0, running: 0 });
  assert.equal((await gate.analyze(Buffer.from('f'), {})).faces.length, 1);
});

it('turns an aborted analysis into TIMEOUT and refuses work before the analyzer is ready', async () => {
  const gate = createAnalysisGate(fakeAnalyzer({ delayMs: 1000 }), { queueLimit: 2, timeoutMs: 50 });
  await assert.rejects(gate.analyze(Buffer.from('a'), {}), { code: 'TIMEOUT', message: /longer than 50 ms/ });
  const pending = createAnalysisGate(new Promise(() => {}), { queueLimit: 2, timeoutMs: 50 });
  assert.equal(pending.ready, false);
  assert.throws(() => pending.analyze(Buffer.from('a'), {}), { code: 'NOT_READY' });
});
