/**
 * The RetinaFace kind on synthetic networks with RetinaFace's real outputs
 * (loc, conf after softmax, landms over Pytorch_Retinaface's priors; no
 * RetinaFace file may be downloaded here): planted faces come back exactly
 * where the prior decoding puts them, the import tells the outputs apart
 * by name or values per prior, a wrong file is refused naming what was
 * expected, and the decoder agrees with an independent Python one.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ort from 'onnxruntime-node';
import {
  decodeRetinaface,
  RETINAFACE_FORMAT,
  RETINAFACE_NMS_IOU,
  RETINAFACE_PRIOR_SIZES,
  RETINAFACE_TOP_K,
  retinafaceDetector,
  retinafacePriorCount,
} from '../../../../src/pipeline/detectors/retinaface.js';
import { inspectRetinafaceModel, prepareRetinafaceModel } from '../../../../src/pipeline/detectors/retinaface-import.js';
import { inputPixels, networkInput, planarBlob } from '../../../../src/pipeline/detectors/detector-input.js';
import { scaleCandidate, suppressInclusive } from '../../../../src/pipeline/detectors/face-candidates.js';
import type { Detection, RgbImage } from '../../../../src/types.js';
import { declaredModel, photoWithFaces, PLANTED, syntheticRetinaface } from '../../../helpers/synthetic-detectors.js';
import { pythonUnavailable, referenceFaces } from '../../../helpers/anchor-decoder-reference.js';

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
/** What a painted pixel is after RetinaFace's mean, on the plane each stride reads (red, green, blue). */
const PAINTED: Record<number, number> = { 8: 255 - 123, 16: 255 - 117, 32: 255 - 104 };
const STRIDE_INDEX: Record<number, number> = { 8: 0, 16: 1, 32: 2 };

/** The face a painted cell gives (its first prior), in input pixels times `scale`, its box clamped to a `photo`-sized photo. */
function expectedFace(stride: number, col: number, row: number, photo: [number, number], scale = 1): { box: number[]; landmarks: number[]; score: number } {
  const size = RETINAFACE_PRIOR_SIZES[STRIDE_INDEX[stride]!]![0];
  const [dx, dy, dw, dh] = PLANTED.retinaLoc[0]!;
  const px = (col + 0.5) * stride, py = (row + 0.5) * stride;
  const cx = px + dx! * 0.1 * size, cy = py + dy! * 0.1 * size;
  const w = size * Math.exp(dw! * 0.2), h = size * Math.exp(dh! * 0.2);
  const clamp = (v: number, max: number) => Math.min(Math.max(v, 0), max);
  const [x1, y1] = [clamp((cx - w / 2) * scale, photo[0]), clamp((cy - h / 2) * scale, photo[1])];
  const [x2, y2] = [clamp((cx + w / 2) * scale, photo[0]), clamp((cy + h / 2) * scale, photo[1])];
  return {
    box: [x1, y1, x2 - x1, y2 - y1],
    landmarks: PLANTED.retinaPoints[0]!.map((v, k) => ((k % 2 === 0 ? px : py) + v * 0.1 * size) * scale),
    score: sigmoid(PLANTED.retinaGain[0]! * PAINTED[stride]!),
  };
}

function findFace(faces: readonly Detection[], expected: ReturnType<typeof expectedFace>, label: string): Detection {
  const face = faces.find((f) => Math.abs(f.box.x - expected.box[0]!) < 1e-3 && Math.abs(f.box.y - expected.box[1]!) < 1e-3);
  assert.ok(face, `${label}: no face at ${expected.box} in ${JSON.stringify(faces.map((f) => f.box))}`);
  [face.box.x, face.box.y, face.box.width, face.box.height].forEach((v, k) => assert.ok(Math.abs(v - expected.box[k]!) < 1e-3, `${label}: box value ${k} ${v} expected ${expected.box[k]}`));
  face.landmarks!.flat().forEach((v, k) => assert.ok(Math.abs(v - expected.landmarks[k]!) < 1e-3, `${label}: landmark value ${k} ${v} expected ${expected.landmarks[k]}`));
  return face;
}

async function detector(bytes: Uint8Array, maxSide?: number) {
  const prepared = await prepareRetinafaceModel(bytes);
  return retinafaceDetector(maxSide ? { maxSide } : {})(await ort.InferenceSession.create(prepared.bytes), {}, { ...prepared.layout });
}

describe('decodeRetinaface', () => {
  test('priors of sizes 16/32, 64/128, 256/512 on ceil(side / stride) cells; offsets with variances 0.1 and 0.2; scores above the minimum', () => {
    // A 20x12 input: stride 8 has 3x2 cells, 16 has 2x1, 32 one: (6 + 2 + 1) x 2 priors.
    const count = retinafacePriorCount(20, 12);
    assert.equal(count, 18);
    const loc = new Float32Array(count * 4);
    const conf = new Float32Array(count * 2);
    const landms = new Float32Array(count * 10);
    // Prior 9 is stride 8, cell (1, 1), size 32: centre (12, 12).
    conf[9 * 2 + 1] = 0.8;
    loc.set([1, -1, 0, Math.log(2) / 0.2], 9 * 4);
    landms.set([5, 0, 0, 5, 0, 0, 0, 0, 0, 0], 9 * 10);
    // Prior 17 is stride 32's only cell, size 512; its score equals the minimum (dropped: strictly above).
    conf[17 * 2 + 1] = 0.5;
    const faces = decodeRetinaface(loc, conf, landms, 20, 12, 0.5);
    assert.equal(faces.length, 1);
    const [face] = faces;
    const near = (a: number, b: number) => Math.abs(a - b) < 1e-4;
    assert.ok(near(face!.x, 12 + 3.2 - 16) && near(face!.y, 12 - 3.2 - 32) && near(face!.width, 32) && near(face!.height, 64), JSON.stringify(face));
    assert.ok([28, 12, 12, 28, 12, 12, 12, 12, 12, 12].every((v, k) => near(face!.landmarks[k]!, v)), JSON.stringify(face!.landmarks));
    assert.ok(near(face!.score, 0.8));
  });

  test('outputs of the wrong length for the input are refused, naming the output', () => {
    assert.throws(() => decodeRetinaface(new Float32Array(18 * 4), new Float32Array(17 * 2), new Float32Array(18 * 10), 20, 12, 0.5), /Expected RetinaFace output conf to hold 18 x 2 values for a 20x12 input but received 34/);
  });
});

describe('the RetinaFace runner on a synthetic network', () => {
  const cells = [[8, 10, 20], [16, 3, 5], [32, 7, 2]] as const;

  test('a photo at its own size: each planted face exactly, with its five landmarks, and nothing else', async () => {
    const retinaface = await detector(syntheticRetinaface());
    const faces = await retinaface.detect(photoWithFaces(320, 200, cells), { minScore: 0.5, maxFaces: 10 });
    assert.deepEqual(retinaface.lastInput, { width: 320, height: 200, paddedWidth: 320, paddedHeight: 200 });
    assert.equal(faces.length, 3, JSON.stringify(faces));
    for (const [stride, col, row] of cells) {
      const expected = expectedFace(stride, col, row, [320, 200]);
      const face = findFace(faces, expected, `stride ${stride}`);
      assert.ok(Math.abs(face.score - expected.score) < 1e-6, `score ${face.score} expected ${expected.score}`);
    }
  });

  test('the network reads BGR minus (104, 117, 123): the same cells painted on a grey of those values are found, on black the face logit falls', async () => {
    const retinaface = await detector(syntheticRetinaface());
    // On a photo whose pixels equal the mean, unpainted cells read 0: face probability 0.5 exactly, dropped at 0.5.
    const photo = photoWithFaces(320, 200, []);
    for (let i = 0; i < photo.data.length; i += 3) photo.data.set([123, 117, 104], i);
    assert.deepEqual(await retinaface.detect(photo, { minScore: 0.5, maxFaces: 10 }), []);
    const found = await retinaface.detect(photo, { minScore: 0.49, maxFaces: 3000 });
    assert.ok(found.length > 0 && found.every((f) => Math.abs(f.score - 0.5) < 1e-6), 'every prior reads 0.5 on the mean colour');
  });

  test('a photo above the cap is shrunk to it and the faces come back in its pixels', async () => {
    const retinaface = await detector(syntheticRetinaface(), 320);
    const big = photoWithFaces(640, 400, []);
    for (const [stride, col, row] of cells) {
      const plane = PLANTED.planeOfStride[stride]!;
      for (let y = row * stride * 2; y < (row + 1) * stride * 2; y++) for (let x = col * stride * 2; x < (col + 1) * stride * 2; x++) big.data[(y * 640 + x) * 3 + plane] = 255;
    }
    const faces = await retinaface.detect(big, { minScore: 0.5, maxFaces: 10 });
    assert.deepEqual(retinaface.lastInput, { width: 320, height: 200, paddedWidth: 320, paddedHeight: 200 });
    assert.equal(faces.length, 3, JSON.stringify(faces));
    for (const [stride, col, row] of cells) assert.ok(findFace(faces, expectedFace(stride, col, row, [640, 400], 2), `stride ${stride}, scaled`).score > 0.99);
  });

  test('a file of fixed size gets the photo fitted in at the top left', async () => {
    const retinaface = await detector(syntheticRetinaface({ exportSize: [320, 256], names: 'exported' }));
    assert.deepEqual(retinaface.layout, { inputName: 'input', loc: 'outputtt', conf: 'output', landms: 'outputt', inputSize: [320, 256] });
    const faces = await retinaface.detect(photoWithFaces(320, 200, cells), { minScore: 0.5, maxFaces: 10 });
    assert.deepEqual(retinaface.lastInput, { width: 320, height: 200, paddedWidth: 320, paddedHeight: 256 });
    assert.equal(faces.length, 3);
    for (const [stride, col, row] of cells) findFace(faces, expectedFace(stride, col, row, [320, 200]), `stride ${stride}, letterboxed`);
  });

  test('agrees with an independent Python decoder on a noisy photo (hundreds of candidates)', { skip: pythonUnavailable() }, async () => {
    const prepared = await prepareRetinafaceModel(syntheticRetinaface());
    const session = await ort.InferenceSession.create(prepared.bytes);
    let seed = 11;
    const photo: RgbImage = { data: new Uint8Array(200 * 150 * 3).map(() => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 16) & 255), width: 200, height: 150 };
    const input = networkInput(200, 150, { maxSide: 1024, divisor: 1 });
    const blob = planarBlob(await inputPixels(photo, input), input, RETINAFACE_FORMAT);
    const out = await session.run({ input: new ort.Tensor('float32', blob, [1, 3, 150, 200]) });
    const [loc, conf, landms] = ['loc', 'conf', 'landms'].map((n) => out[n]!.data as Float32Array) as [Float32Array, Float32Array, Float32Array];
    const ours = suppressInclusive(decodeRetinaface(loc, conf, landms, 200, 150, 0.3).map((f) => scaleCandidate(f, 1, 1)), RETINAFACE_NMS_IOU, Infinity, RETINAFACE_TOP_K);
    const theirs = referenceFaces({ family: 'retinaface', width: 200, height: 150, outputs: { loc, conf, landms }, threshold: 0.3, scale: [1, 1], nms: RETINAFACE_NMS_IOU, topK: RETINAFACE_TOP_K });
    assert.ok(theirs.length > 50, `${theirs.length} faces: the check needs many`);
    assert.equal(ours.length, theirs.length);
    ours.forEach((face, i) => {
      const mine = [face.x, face.y, face.x + face.width, face.y + face.height, face.score, ...face.landmarks];
      mine.forEach((v, k) => assert.ok(Math.abs(v - theirs[i]![k]!) < 1e-3, `face ${i} value ${k}: ${v} against ${theirs[i]![k]}`));
    });
  });
});

describe('RetinaFace import checks', () => {
  test('outputs named loc, conf, landms are read by name; others by their declared values per prior', () => {
    assert.deepEqual(inspectRetinafaceModel(syntheticRetinaface()), { inputName: 'input', loc: 'loc', conf: 'conf', landms: 'landms', inputSize: null });
    const exported = inspectRetinafaceModel(syntheticRetinaface({ names: 'exported' }));
    assert.deepEqual([exported.loc, exported.conf, exported.landms], ['outputtt', 'output', 'outputt']);
  });

  test('outputs without declared shapes are told apart by one run', async () => {
    const bytes = syntheticRetinaface({ names: 'exported', declaredShapes: false });
    const declared = inspectRetinafaceModel(bytes);
    assert.deepEqual([declared.loc, declared.conf, declared.landms], ['output', 'outputt', 'outputtt'], 'without shapes, the export order is all the file says');
    const { layout } = await prepareRetinafaceModel(bytes);
    assert.deepEqual([layout.loc, layout.conf, layout.landms], ['outputtt', 'output', 'outputt']);
  });

  test('a file of another family is refused, naming the outputs expected and those found', async () => {
    const yunet = declaredModel([{ name: 'input', dims: [1, 3, 120, 160] }], [{ name: 'loc', dims: [1076, 14] }, { name: 'conf', dims: [1076, 2] }, { name: 'iou', dims: [1076, 1] }]);
    assert.throws(
      () => inspectRetinafaceModel(yunet),
      (e: Error) => /Expected a RetinaFace face detector/.test(e.message) && /loc \[1, N, 4\], conf \[1, N, 2\], landms \[1, N, 10\]/.test(e.message) && /but output loc is \[1076, 14\], not 4, 2 or 10 values per prior/.test(e.message),
    );
    const two = declaredModel([{ name: 'input', dims: [1, 3, 240, 320] }], [{ name: 'scores', dims: [1, 4420, 2] }, { name: 'boxes', dims: [1, 4420, 4] }]);
    assert.throws(() => inspectRetinafaceModel(two), /but it has 2 outputs\. The file has inputs input \[1, 3, 240, 320\] and outputs scores \[1, 4420, 2\], boxes \[1, 4420, 4\]/);
    const rowsWrong = declaredModel([{ name: 'input', dims: [1, 3, 'h', 'w'] }], ['a', 'b', 'c'].map((name) => ({ name, dims: ['n', 'c', 'h', 'w'] })));
    await assert.rejects(prepareRetinafaceModel(rowsWrong), /run at 128x96 it gives a \[1, 3, 96, 128\].*with no loc output of 504 x 4 values \(one row per prior\)/s);
  });
});
