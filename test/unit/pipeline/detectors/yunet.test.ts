import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ort from 'onnxruntime-node';
import { withSymbolicImageSize } from '../../../../src/convert/onnx/symbolic-input.js';
import { yunetBlob, yunetDetector, yunetInput, yunetPixels } from '../../../../src/pipeline/detectors/yunet.js';
import { inspectYunetModel, prepareYunetModel } from '../../../../src/pipeline/detectors/yunet-import.js';
import type { RgbImage } from '../../../../src/types.js';
import { declaredModel, syntheticYunet } from '../../../helpers/synthetic-detectors.js';

describe('yunetInput', () => {
  test('a photo within the cap runs at its own size, padded to multiples of 32', () => {
    assert.deepEqual(yunetInput(100, 50, 1280), { width: 100, height: 50, paddedWidth: 128, paddedHeight: 64 });
    assert.deepEqual(yunetInput(1024, 768, 1280), { width: 1024, height: 768, paddedWidth: 1024, paddedHeight: 768 });
  });

  test('a larger photo is shrunk so its longer side is the cap, keeping its shape', () => {
    assert.deepEqual(yunetInput(1920, 1280, 1280), { width: 1280, height: 853, paddedWidth: 1280, paddedHeight: 864 });
    assert.deepEqual(yunetInput(900, 3000, 1280), { width: 384, height: 1280, paddedWidth: 384, paddedHeight: 1280 });
  });

  test('a fixed-size model gets the photo fitted into its input (letterbox)', () => {
    assert.deepEqual(yunetInput(640, 480, 1280, [160, 120]), { width: 160, height: 120, paddedWidth: 160, paddedHeight: 120 });
    assert.deepEqual(yunetInput(1000, 200, 1280, [160, 120]), { width: 160, height: 32, paddedWidth: 160, paddedHeight: 120 });
    assert.deepEqual(yunetInput(40, 30, 1280, [160, 120]), { width: 160, height: 120, paddedWidth: 160, paddedHeight: 120 });
  });
});

test('yunetBlob writes BGR planes of raw values and leaves the padding black', () => {
  const image: RgbImage = { data: Uint8Array.from([10, 20, 30, 40, 50, 60]), width: 2, height: 1 };
  const blob = yunetBlob(image, { width: 2, height: 1, paddedWidth: 3, paddedHeight: 2 });
  assert.deepEqual([...blob], [30, 60, 0, 0, 0, 0, 20, 50, 0, 0, 0, 0, 10, 40, 0, 0, 0, 0]);
  assert.throws(() => yunetBlob(image, { width: 3, height: 1, paddedWidth: 32, paddedHeight: 32 }), /Expected 3x1 pixels but received 2x1/);
});

test('yunetPixels keeps a photo that fits and shrinks a larger one to the input size', async () => {
  const image: RgbImage = { data: new Uint8Array(64 * 32 * 3).fill(200), width: 64, height: 32 };
  assert.equal(await yunetPixels(image, yunetInput(64, 32, 1280)), image);
  const small = await yunetPixels(image, yunetInput(64, 32, 16));
  assert.deepEqual([small.width, small.height, small.data.length], [16, 8, 16 * 8 * 3]);
  assert.ok(small.data.every((v) => v === 200), 'a flat photo stays flat');
});

describe('the YuNet runner on a synthetic network', () => {
  // Every cell of the synthetic network has the same tiny weights, so scores sit near 0.5.
  const image: RgbImage = { data: new Uint8Array(200 * 100 * 3).fill(128), width: 200, height: 100 };

  test('runs at the photo size padded to 32 and returns boxes clamped to the photo with five landmarks', async () => {
    const detector = yunetDetector({ maxSide: 1280 })(await ort.InferenceSession.create(syntheticYunet()));
    assert.equal(detector.layout, 'strides');
    assert.equal(detector.fixedSize, null);
    const faces = await detector.detect(image, { minScore: 0.1, maxFaces: 5 });
    assert.deepEqual(detector.lastInput, { width: 200, height: 100, paddedWidth: 224, paddedHeight: 128 });
    assert.equal(faces.length, 5);
    for (const f of faces) {
      assert.ok(f.box.x >= 0 && f.box.y >= 0 && f.box.x + f.box.width <= 200 + 1e-9 && f.box.y + f.box.height <= 100 + 1e-9, JSON.stringify(f.box));
      assert.equal(f.landmarks?.length, 5);
    }
    assert.ok(faces.every((f, i) => i === 0 || faces[i - 1]!.score >= f.score), 'best first');
  });

  test('a cap shrinks the photo and the faces come back in the photo\'s pixels', async () => {
    const session = await ort.InferenceSession.create(syntheticYunet());
    const full = await yunetDetector({ maxSide: 1280 })(session).detect(image, { minScore: 0, maxFaces: 1 });
    const capped = yunetDetector({ maxSide: 100 });
    const detector = capped(session);
    const small = await detector.detect(image, { minScore: 0, maxFaces: 1000 });
    assert.deepEqual(detector.lastInput, { width: 100, height: 50, paddedWidth: 128, paddedHeight: 64 });
    // Landmarks of the shrunk run are scaled back by 2: they fall beyond 100 px.
    assert.ok(small.some((f) => f.landmarks!.some(([x]) => x > 100)), 'coordinates scaled back to the photo');
    assert.equal(full.length, 1);
  });

  test('a model left at a fixed size is letterboxed to it', async () => {
    const fixed = syntheticYunet({ exportSize: [64, 64], hardCodedRows: true });
    const detector = yunetDetector()(await ort.InferenceSession.create(fixed));
    assert.deepEqual(detector.fixedSize, [64, 64]);
    await detector.detect(image, { minScore: 0.1, maxFaces: 5 });
    assert.deepEqual(detector.lastInput, { width: 64, height: 32, paddedWidth: 64, paddedHeight: 64 });
  });
});

describe('YuNet import checks', () => {
  test('inspectYunetModel names the layout and the export size', () => {
    assert.deepEqual(inspectYunetModel(syntheticYunet({ exportSize: [640, 640] })), {
      family: 'yunet',
      layout: 'strides',
      variant: '2023mar / yunet_n (strides 8, 16, 32)',
      inputName: 'input',
      exportedSize: [640, 640],
    });
    const priors = declaredModel([{ name: 'input', dims: [1, 3, 120, 160] }], [{ name: 'loc', dims: [1076, 14] }, { name: 'conf', dims: [1076, 2] }, { name: 'iou', dims: [1076, 1] }]);
    assert.equal(inspectYunetModel(priors).layout, 'priors');
  });

  test('a file with other outputs is refused with what YuNet has and what the file has', () => {
    const ultraface = declaredModel([{ name: 'input', dims: [1, 3, 240, 320] }], [{ name: 'scores', dims: [1, 4420, 2] }, { name: 'boxes', dims: [1, 4420, 4] }]);
    assert.throws(() => inspectYunetModel(ultraface), (e: Error) => /Expected a YuNet face detector/.test(e.message) && /loc \[N, 14\]/.test(e.message) && /scores \[1, 4420, 2\]/.test(e.message));
  });

  test('wrong values per anchor, channels or input rank are refused naming the tensor', () => {
    const outputs = (kps: number) => [8, 16, 32].flatMap((s) => [['cls', 1], ['obj', 1], ['bbox', 4], ['kps', kps]].map(([p, c]) => ({ name: `${p}_${s}`, dims: [1, 'n', c as number] })));
    assert.throws(() => inspectYunetModel(declaredModel([{ name: 'input', dims: [1, 3, 'h', 'w'] }], outputs(4))), /output kps_8 is \[1, n, 4\], not 10 values per anchor/);
    assert.throws(() => inspectYunetModel(declaredModel([{ name: 'input', dims: [1, 1, 'h', 'w'] }], outputs(10))), /input input has 1 channels, not 3/);
    assert.throws(() => inspectYunetModel(declaredModel([{ name: 'input', dims: [3, 'h', 'w'] }], outputs(10))), /input input is \[3, h, w\], not 4-dimensional/);
  });

  test('bytes that are not ONNX are refused', () => {
    assert.throws(() => inspectYunetModel(new TextEncoder().encode('not a model at all')), /not an ONNX model/);
  });

  test('prepareYunetModel frees the input size when the graph runs at other sizes', async () => {
    const prepared = await prepareYunetModel(syntheticYunet({ exportSize: [640, 640] }));
    assert.equal(prepared.fixedSize, null);
    const session = await ort.InferenceSession.create(prepared.bytes);
    const meta = session.inputMetadata[0]!;
    assert.ok(meta.isTensor && typeof meta.shape[2] === 'string' && typeof meta.shape[3] === 'string', JSON.stringify(meta));
  });

  test('prepareYunetModel keeps a fixed size when the graph only runs at it', async () => {
    const fixed = syntheticYunet({ exportSize: [64, 64], hardCodedRows: true });
    const prepared = await prepareYunetModel(fixed);
    assert.deepEqual(prepared.fixedSize, [64, 64]);
    assert.equal(prepared.bytes, fixed);
  });

  test('withSymbolicImageSize refuses a model without a 4-dimensional input', () => {
    assert.throws(() => withSymbolicImageSize(declaredModel([{ name: 'x', dims: [1, 10] }], [{ name: 'y', dims: [1, 10] }])), /Expected a 4-dimensional image input/);
  });
});
