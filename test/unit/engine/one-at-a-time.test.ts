import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneAtATime } from '../../../src/engine/one-at-a-time.js';
import { createSsdMobilenetV1Detector } from '../../../src/pipeline/detectors/ssd-mobilenetv1.js';
import type { InferenceSession } from 'onnxruntime-node';

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('stages run one after another, in the order given, even when one fails', async () => {
  const inTurn = oneAtATime();
  const log: string[] = [];
  const stage = (name: string, fail = false) => async () => {
    log.push(`${name} start`);
    await tick();
    await tick();
    log.push(`${name} end`);
    if (fail) throw new Error(name);
    return name;
  };
  const results = await Promise.allSettled([inTurn(stage('a')), inTurn(stage('b', true)), inTurn(stage('c'))]);
  assert.deepEqual(log, ['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
});

test('why: a runner reuses its input buffer, and onnxruntime-node reads it a tick later', async () => {
  // A fake session that, like onnxruntime-node, reads its input on a later tick.
  const seen: number[] = [];
  const session = {
    inputNames: ['image'],
    run: async (feeds: Record<string, { data: Float32Array }>) => {
      await tick();
      seen.push(feeds.image!.data[0]!);
      return { boxes: { data: new Float32Array(5461 * 4) }, scores: { data: new Float32Array(5461) } };
    },
  } as unknown as InferenceSession;
  const detector = createSsdMobilenetV1Detector(session);
  const photo = (value: number) => ({ data: new Uint8Array(8 * 8 * 3).fill(value), width: 8, height: 8 });
  const options = { minScore: 0.5, maxFaces: 10 };
  await Promise.all([detector.detect(photo(10), options), detector.detect(photo(20), options)]);
  assert.deepEqual(seen, [20, 20], 'side by side, the first photo is read as the second');
  seen.length = 0;
  const inTurn = oneAtATime();
  await Promise.all([inTurn(() => detector.detect(photo(10), options)), inTurn(() => detector.detect(photo(20), options))]);
  assert.deepEqual(seen, [10, 20], 'in turn, each photo is read as itself');
});
