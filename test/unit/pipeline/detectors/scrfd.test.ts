/**
 * The SCRFD kind on synthetic networks with SCRFD's real outputs (no SCRFD
 * file may be downloaded here): planted faces come back exactly where the
 * anchor decoding puts them, the import tells the outputs apart however
 * they are named or ordered, a wrong file is refused naming what was
 * expected, and the decoder agrees with an independent Python one.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ort from 'onnxruntime-node';
import { decodeScrfd, createScrfdDetector, SCRFD_FORMAT, SCRFD_NMS_IOU, type ScrfdLayout } from '../../../../src/pipeline/detectors/scrfd.js';
import { inspectScrfdModel, prepareScrfdModel } from '../../../../src/pipeline/detectors/scrfd-import.js';
import { inputPixels, networkInput, planarBlob } from '../../../../src/pipeline/detectors/detector-input.js';
import { scaleCandidate, suppressInclusive } from '../../../../src/pipeline/detectors/face-candidates.js';
import { detectorLandmarks, findKind } from '../../../../src/models/kinds.js';
import type { Detection, RgbImage } from '../../../../src/types.js';
import { declaredModel, photoWithFaces, PLANTED, syntheticScrfd } from '../../../helpers/synthetic-detectors.js';
import { pythonUnavailable, referenceFaces } from '../../../helpers/anchor-decoder-reference.js';

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
/** A painted cell's plane value after SCRFD's normalisation: (255 - 127.5) / 128. */
const PAINTED = 0.99609375;

/** The face a painted cell gives (anchor 0), in input pixels times `scale`. */
function expectedFace(stride: number, col: number, row: number, scale = 1): { box: number[]; landmarks: number[]; score: number } {
  const ax = col * stride, ay = row * stride;
  const [l, t, r, b] = PLANTED.scrfdBox[0]!;
  const p = PLANTED.scrfdPoints[0]!;
  return {
    box: [(ax - l! * stride) * scale, (ay - t! * stride) * scale, (r! + l!) * stride * scale, (b! + t!) * stride * scale],
    landmarks: p.map((v, k) => ((k % 2 === 0 ? ax : ay) + v * stride) * scale),
    score: sigmoid(PLANTED.gain[0]! * PAINTED),
  };
}

function assertFace(face: Detection, expected: ReturnType<typeof expectedFace>, label: string, tolerance = 1e-4) {
  const box = [face.box.x, face.box.y, face.box.width, face.box.height];
  box.forEach((v, k) => assert.ok(Math.abs(v - expected.box[k]!) < tolerance, `${label}: box ${box} expected ${expected.box}`));
  const points = face.landmarks?.flat() ?? [];
  assert.equal(points.length, expected.landmarks.length, `${label}: landmarks`);
  points.forEach((v, k) => assert.ok(Math.abs(v - expected.landmarks[k]!) < tolerance, `${label}: landmarks ${points} expected ${expected.landmarks}`));
}

async function detector(bytes: Uint8Array) {
  const prepared = await prepareScrfdModel(bytes);
  return createScrfdDetector(await ort.InferenceSession.create(prepared.bytes), {}, { ...prepared.layout });
}

describe('decodeScrfd', () => {
  test('anchors sit on the cells\' corners, two to a cell; distances and points are in strides; scores at the minimum are kept', () => {
    // A 16x16 input: stride 8 has 2x2 cells (8 anchors), 16 one cell (2), 32 none.
    const scores8 = new Float32Array(8);
    scores8[7] = 0.5; // cell (1, 1), second anchor: exactly the minimum
    const boxes8 = new Float32Array(32);
    boxes8.set([1, 0.5, 2, 3], 7 * 4);
    const kps8 = new Float32Array(80);
    kps8.set([0, 0, 1, 0, 0.5, 0.5, 0, 1, 1, 1], 7 * 10);
    const scores16 = Float32Array.from([0.4, 0.9]);
    const boxes16 = Float32Array.from([0, 0, 0, 0, 0.25, 0.25, 0.5, 0.5]);
    const faces = decodeScrfd(
      [
        { stride: 8, scores: scores8, boxes: boxes8, keypoints: kps8 },
        { stride: 16, scores: scores16, boxes: boxes16, keypoints: new Float32Array(20).fill(1) },
        { stride: 32, scores: new Float32Array(0), boxes: new Float32Array(0), keypoints: new Float32Array(0) },
      ],
      16,
      16,
      0.5,
    );
    assert.deepEqual(faces, [
      { x: 0, y: 4, width: 24, height: 28, score: 0.5, landmarks: [8, 8, 16, 8, 12, 12, 8, 16, 16, 16] },
      { x: -4, y: -4, width: 12, height: 12, score: scores16[1], landmarks: [16, 16, 16, 16, 16, 16, 16, 16, 16, 16] },
    ]);
  });

  test('outputs of the wrong length for the input are refused, naming the output', () => {
    assert.throws(
      () => decodeScrfd([{ stride: 8, scores: new Float32Array(7), boxes: new Float32Array(28) }], 16, 16, 0.5),
      /Expected SCRFD output scores \(stride 8\) to hold 8 x 1 values for this input but received 7/,
    );
  });
});

describe('the SCRFD runner on a synthetic network', () => {
  const cells = [[8, 10, 20], [16, 30, 5], [32, 12, 15]] as const;

  test('a 640x640 photo: each planted face exactly, with its five landmarks, and nothing else', async () => {
    const scrfd = await detector(syntheticScrfd());
    const faces = await scrfd.detect(photoWithFaces(640, 640, cells), { minScore: 0.5, maxFaces: 10 });
    assert.deepEqual(scrfd.lastInput, { width: 640, height: 640, paddedWidth: 640, paddedHeight: 640 });
    assert.equal(faces.length, 3);
    for (const [stride, col, row] of cells) {
      const expected = expectedFace(stride, col, row);
      const face = faces.find((f) => Math.abs(f.box.x - expected.box[0]!) < 1e-3 && Math.abs(f.box.y - expected.box[1]!) < 1e-3);
      assert.ok(face, `no face for stride ${stride} cell (${col}, ${row}) in ${JSON.stringify(faces)}`);
      assertFace(face, expected, `stride ${stride}`);
      assert.ok(Math.abs(face.score - expected.score) < 1e-6, `score ${face.score} expected ${expected.score}`);
    }
  });

  test('the network reads RGB: a face painted in another colour than its stride reads is not found', async () => {
    const scrfd = await detector(syntheticScrfd());
    // Stride 8 reads red; paint the cell blue (as a BGR feed would read it red).
    const photo = photoWithFaces(640, 640, []);
    for (let y = 160; y < 168; y++) for (let x = 80; x < 88; x++) photo.data[(y * 640 + x) * 3 + 2] = 255;
    assert.deepEqual(await scrfd.detect(photo, { minScore: 0.5, maxFaces: 10 }), []);
  });

  test('a larger photo is fitted into 640x640 at the top left and the faces come back in its pixels', async () => {
    const scrfd = await detector(syntheticScrfd());
    // 1280x960 with each face painted at twice the size: the network sees them at the 640x640 photo's cells.
    const inside = [[8, 10, 20], [16, 30, 5], [32, 12, 10]] as const;
    const big = photoWithFaces(1280, 960, []);
    for (const [stride, col, row] of inside) {
      const plane = PLANTED.planeOfStride[stride]!;
      for (let y = row * stride * 2; y < (row + 1) * stride * 2; y++) for (let x = col * stride * 2; x < (col + 1) * stride * 2; x++) big.data[(y * 1280 + x) * 3 + plane] = 255;
    }
    const faces = await scrfd.detect(big, { minScore: 0.5, maxFaces: 10 });
    assert.deepEqual(scrfd.lastInput, { width: 640, height: 480, paddedWidth: 640, paddedHeight: 640 });
    assert.equal(faces.length, 3, JSON.stringify(faces));
    for (const [stride, col, row] of inside) {
      const expected = expectedFace(stride, col, row, 2);
      const face = faces.find((f) => Math.abs(f.box.x - expected.box[0]!) < 1e-3 && Math.abs(f.box.y - expected.box[1]!) < 1e-3);
      assert.ok(face, `no face for stride ${stride} in ${JSON.stringify(faces.map((f) => f.box))}`);
      assertFace(face, expected, `stride ${stride}, scaled`);
      assert.ok(face.score > 0.99, `score ${face.score}`);
    }
  });

  test('a file of fixed size runs at it; a file without keypoints gives boxes only', async () => {
    const scrfd = await detector(syntheticScrfd({ exportSize: [320, 256], keypoints: false, rows: 'batched' }));
    assert.equal(scrfd.layout.keypoints, null);
    const faces = await scrfd.detect(photoWithFaces(320, 256, [[8, 3, 4]]), { minScore: 0.5, maxFaces: 10 });
    assert.deepEqual(scrfd.lastInput, { width: 320, height: 256, paddedWidth: 320, paddedHeight: 256 });
    assert.equal(faces.length, 1);
    assert.equal(faces[0]!.landmarks, undefined);
    assert.deepEqual(Object.values(faces[0]!.box), expectedFace(8, 3, 4).box);
  });

  test('agrees with an independent Python decoder on a noisy photo (hundreds of candidates)', { skip: pythonUnavailable() }, async () => {
    const prepared = await prepareScrfdModel(syntheticScrfd({ exportSize: [160, 128] }));
    const layout = prepared.layout as ScrfdLayout;
    const session = await ort.InferenceSession.create(prepared.bytes);
    // Seeded noise: every cell a different score.
    let seed = 7;
    const photo: RgbImage = { data: new Uint8Array(320 * 256 * 3).map(() => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 16) & 255), width: 320, height: 256 };
    const input = networkInput(320, 256, { maxSide: Infinity, divisor: 1, fixedSize: [160, 128] });
    const blob = planarBlob(await inputPixels(photo, input), input, SCRFD_FORMAT);
    const out = await session.run({ [layout.inputName]: new ort.Tensor('float32', blob, [1, 3, 128, 160]) });
    const data = (name: string) => out[name]!.data as Float32Array;
    const levels = [8, 16, 32].map((stride, k) => ({ stride, scores: data(layout.scores[k]!), boxes: data(layout.boxes[k]!), keypoints: data(layout.keypoints![k]!) }));
    const back = 256 / input.height;
    const ours = suppressInclusive(decodeScrfd(levels, 160, 128, 0.3).map((f) => scaleCandidate(f, back, back)), SCRFD_NMS_IOU, Infinity);
    const outputs: Record<string, Float32Array> = {};
    [8, 16, 32].forEach((stride, k) => {
      outputs[`score_${stride}`] = levels[k]!.scores;
      outputs[`bbox_${stride}`] = levels[k]!.boxes;
      outputs[`kps_${stride}`] = levels[k]!.keypoints;
    });
    const theirs = referenceFaces({ family: 'scrfd', width: 160, height: 128, outputs, threshold: 0.3, scale: [back, back], nms: SCRFD_NMS_IOU });
    assert.ok(theirs.length > 50, `${theirs.length} faces: the check needs many`);
    assert.equal(ours.length, theirs.length);
    ours.forEach((face, i) => {
      const ref = theirs[i]!;
      const mine = [face.x, face.y, face.x + face.width, face.y + face.height, face.score, ...face.landmarks];
      mine.forEach((v, k) => assert.ok(Math.abs(v - ref[k]!) < 1e-3, `face ${i} value ${k}: ${v} against ${ref[k]}`));
    });
  });
});

describe('SCRFD import checks', () => {
  test('outputs named as InsightFace exports them, by number in its order, or interleaved, are all told apart', async () => {
    const byName = await prepareScrfdModel(syntheticScrfd());
    assert.deepEqual(byName.layout, {
      inputName: 'input.1',
      scores: ['score_8', 'score_16', 'score_32'],
      boxes: ['bbox_8', 'bbox_16', 'bbox_32'],
      keypoints: ['kps_8', 'kps_16', 'kps_32'],
      inputSize: null,
    });
    assert.deepEqual((await prepareScrfdModel(syntheticScrfd({ names: 'numbered' }))).layout.boxes, ['457', '460', '463']);
    const interleaved = (await prepareScrfdModel(syntheticScrfd({ names: 'interleaved' }))).layout;
    assert.deepEqual([interleaved.scores, interleaved.boxes, interleaved.keypoints], [['448', '457', '466'], ['451', '460', '469'], ['454', '463', '472']]);
  });

  test('the kind gives landmarks only for files with keypoints', async () => {
    const kind = findKind('scrfd');
    assert.equal(detectorLandmarks(kind, { ...(await prepareScrfdModel(syntheticScrfd())).layout }), true);
    assert.equal(detectorLandmarks(kind, { ...(await prepareScrfdModel(syntheticScrfd({ keypoints: false }))).layout }), false);
  });

  test('a file of another family is refused, naming the outputs expected and those found', () => {
    const ultraface = declaredModel([{ name: 'input', dims: [1, 3, 240, 320] }], [{ name: 'scores', dims: [1, 4420, 2] }, { name: 'boxes', dims: [1, 4420, 4] }]);
    assert.throws(() => inspectScrfdModel(ultraface), (e: Error) => /Expected an SCRFD face detector/.test(e.message) && /but it has 2 outputs/.test(e.message) && /outputs scores \[1, 4420, 2\], boxes \[1, 4420, 4\]/.test(e.message));
    const sixWrong = declaredModel([{ name: 'input', dims: [1, 3, 640, 640] }], [1, 2, 3, 4, 5, 6].map((k) => ({ name: `o${k}`, dims: [1, 'n', k === 1 ? 2 : 4] })));
    assert.throws(() => inspectScrfdModel(sixWrong), /output o1 is \[1, n, 2\], not 1, 4 or 10 values per anchor/);
    assert.throws(() => inspectScrfdModel(declaredModel([{ name: 'x', dims: [1, 1, 640, 640] }], [])), /input x is \[1, 1, 640, 640\], not one 3-channel image/);
  });

  test('six outputs whose rows are not SCRFD\'s are refused after a run, naming what the run gave', async () => {
    // Six outputs with open shapes, each the image itself.
    const wrongRows = declaredModel([{ name: 'input', dims: [1, 3, 64, 64] }], ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => ({ name, dims: ['n', 'c', 'h', 'k'] })));
    await assert.rejects(prepareScrfdModel(wrongRows), /run at 64x64 it gives a \[1, 3, 64, 64\].* with no scores output of 128 x 1 values for stride 8/s);
  });
});
