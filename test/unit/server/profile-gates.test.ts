import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createProfileGates } from '../../../src/server/profile-gates.js';
import { fakeAnalyzer } from '../../integration/server/helpers.js';

const models = { detector: 'd', detectors: ['d'], attributes: ['a'], answers: { age: ['a'] } };

it('picks the default profile when a request names none, the named one otherwise', () => {
  const gates = createProfileGates(
    [
      { name: 'default', models, analyzer: fakeAnalyzer() },
      { name: 'fast', models, analyzer: fakeAnalyzer() },
    ],
    { queueLimit: 2, timeoutMs: 1000 },
  );
  assert.deepEqual(gates.names, ['default', 'fast']);
  assert.equal(gates.pick(undefined).name, 'default');
  assert.equal(gates.pick('fast').name, 'fast');
  assert.notEqual(gates.pick('fast').gate, gates.pick('default').gate);
});

it('refuses a profile it does not offer in the documented option-error wording', () => {
  const gates = createProfileGates(
    [
      { name: 'default', models, analyzer: fakeAnalyzer() },
      { name: 'fast', models, analyzer: fakeAnalyzer() },
    ],
    { queueLimit: 2, timeoutMs: 1000 },
  );
  assert.throws(() => gates.pick('accurate'), {
    code: 'INVALID_OPTION',
    message: "Expected one of: default, fast for models but received 'accurate' of type string",
  });
  assert.throws(() => createProfileGates([], { queueLimit: 1, timeoutMs: 1 }), RangeError);
  assert.throws(() => createProfileGates([{ name: 'a', models, analyzer: fakeAnalyzer() }, { name: 'a', models, analyzer: fakeAnalyzer() }], { queueLimit: 1, timeoutMs: 1 }), /offered twice/);
});

it('gives each profile its own queue: one full profile leaves the other open; load is summed', async () => {
  const gates = createProfileGates(
    [
      { name: 'default', models, analyzer: fakeAnalyzer({ delayMs: 50 }) },
      { name: 'fast', models, analyzer: fakeAnalyzer({ delayMs: 50 }) },
    ],
    { queueLimit: 1, timeoutMs: 5000 },
  );
  // One photo analysed and one waiting fill `default` (one slot, queue limit 1).
  const busy = [gates.pick('default').gate.analyze(Buffer.from('a'), {}), gates.pick('default').gate.analyze(Buffer.from('b'), {})];
  assert.throws(() => gates.pick('default').gate.analyze(Buffer.from('c'), {}), { code: 'SERVER_BUSY' });
  const other = gates.pick('fast').gate.analyze(Buffer.from('d'), {});
  assert.equal(gates.load().admitted, 3);
  assert.deepEqual(
    gates.loadByProfile().map(({ profile, admitted }) => [profile, admitted]),
    [['default', 2], ['fast', 1]],
  );
  await Promise.all([...busy, other]);
  assert.deepEqual(gates.load(), { admitted: 0, queued: 0, running: 0 });
});

it('is ready only when every profile is loaded, and says which are', async () => {
  let finish!: (analyzer: ReturnType<typeof fakeAnalyzer>) => void;
  const loading = new Promise<ReturnType<typeof fakeAnalyzer>>((resolve) => (finish = resolve));
  const gates = createProfileGates(
    [
      { name: 'default', models, analyzer: fakeAnalyzer() },
      { name: 'fast', models: null, analyzer: loading },
    ],
    { queueLimit: 2, timeoutMs: 1000 },
  );
  assert.equal(gates.ready, false);
  assert.deepEqual(gates.describe(), [
    { name: 'default', models, ready: true },
    { name: 'fast', models: null, ready: false },
  ]);
  assert.equal(gates.retryAfterSeconds(), 5, 'a loading profile asks for 5 s');
  finish(fakeAnalyzer());
  await loading;
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(gates.ready, true);
});
