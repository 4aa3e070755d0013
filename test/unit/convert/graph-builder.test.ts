import { test } from 'node:test';
import assert from 'node:assert/strict';
import ort from 'onnxruntime-node';
import { GraphBuilder, ints, float } from '../../../src/convert/onnx/graph-builder.js';

test('a built Conv + LeakyRelu graph runs in onnxruntime with the expected values', async () => {
  const g = new GraphBuilder('conv');
  const x = g.input('x', [1, 1, 'h', 'w']);
  const w = g.constant('w', Float32Array.from([1, 2, 3, 4]), [1, 1, 2, 2]);
  const b = g.constant('b', Float32Array.from([-10]), [1]);
  const y = g.op('Conv', [x, w, b], { kernel_shape: ints([2, 2]) });
  g.output(g.op('LeakyRelu', [y], { alpha: float(0.5) }), 'y');
  const session = await ort.InferenceSession.create(g.serialize());
  const input = new ort.Tensor('float32', Float32Array.from([1, 1, 1, 1, 0, 0, 0, 0, 0]), [1, 1, 3, 3]);
  const { y: out } = await session.run({ x: input });
  // [1,1;1,0]·[1,2;3,4] - 10 = -4 -> -2;  [1,1;0,0] -> 3-10=-7 -> -3.5; [1,0;0,0] -> 1-10 = -9 -> -4.5; 0-10 -> -5
  assert.deepEqual(out!.dims, [1, 1, 2, 2]);
  assert.deepEqual([...(out!.data as Float32Array)], [-2, -3.5, -4.5, -5]);
});

test('constants reject data that does not fill their shape', () => {
  const g = new GraphBuilder('bad');
  assert.throws(() => g.constant('w', new Float32Array(3), [2, 2]), /has 3 values but shape \[2, 2\] needs 4/);
});
