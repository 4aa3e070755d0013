import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeYunetPriors, decodeYunetStrides, suppressYunet, yunetAnchorCount, yunetPriors, type YunetCandidate } from '../../../../src/pipeline/detectors/yunet-decode.js';

describe('YuNet anchors', () => {
  test('the priors layout gives 1076 anchors at 160x120, as the 2022mar file declares for its export size', () => {
    assert.equal(yunetAnchorCount('priors', 160, 120), 1076);
    assert.equal(yunetPriors(160, 120).length, 1076 * 4);
  });

  test('the priors layout at 640x480: 60x80x3 + 30x40x2 + 15x20x2 + 7x10x3 (the last map rounds down)', () => {
    assert.equal(yunetAnchorCount('priors', 640, 480), 14400 + 2400 + 600 + 210);
  });

  test('the strides layout gives one anchor per cell at strides 8, 16 and 32 (8400 at 640x640)', () => {
    assert.equal(yunetAnchorCount('strides', 640, 640), 6400 + 1600 + 400);
    assert.equal(yunetAnchorCount('strides', 96, 64), 96 + 24 + 6);
  });

  test('the first priors are the three sizes of the top-left 8-pixel cell, normalised', () => {
    const p = yunetPriors(64, 32);
    assert.deepEqual([...p.subarray(0, 12)].map((v) => +v.toFixed(6)), [4 / 64, 4 / 32, 10 / 64, 10 / 32, 4 / 64, 4 / 32, 16 / 64, 16 / 32, 4 / 64, 4 / 32, 24 / 64, 24 / 32].map((v) => +v.toFixed(6)));
  });
});

describe('decodeYunetStrides', () => {
  const level = (stride: number, width: number, height: number) => {
    const cells = (width / stride) * (height / stride);
    return { stride, cls: new Float32Array(cells), obj: new Float32Array(cells), bbox: new Float32Array(cells * 4), kps: new Float32Array(cells * 10) };
  };

  test('a cell decodes to its centre offset and log size in strides, the score to sqrt(cls x obj)', () => {
    const levels = [8, 16, 32].map((s) => level(s, 128, 64));
    const l16 = levels[1]!;
    const i = 2 * 8 + 3; // row 2, column 3 of the 8x4 grid
    l16.cls[i] = 0.81;
    l16.obj[i] = 1.2; // clamped to 1
    l16.bbox.set([0.5, 0.25, Math.log(2), 0], i * 4);
    l16.kps.set([0.25, 0.5, 0.75, 0.5, 0.5, 1, 0.25, 1.5, 0.75, 1.5], i * 10);
    const [face, ...rest] = decodeYunetStrides(levels, 128, 64, 0.5);
    assert.equal(rest.length, 0);
    assert.ok(Math.abs(face!.score - 0.9) < 1e-6);
    assert.deepEqual([face!.x, face!.y, face!.width, face!.height].map((v) => +v.toFixed(4)), [40, 28, 32, 16]);
    assert.deepEqual(face!.landmarks.map((v) => +v.toFixed(4)), [52, 40, 60, 40, 56, 48, 52, 56, 60, 56]);
  });

  test('scores at or below minScore are left out', () => {
    const levels = [8, 16, 32].map((s) => level(s, 64, 64));
    levels[0]!.cls[0] = 0.25;
    levels[0]!.obj[0] = 1; // score 0.5
    assert.equal(decodeYunetStrides(levels, 64, 64, 0.5).length, 0);
    assert.equal(decodeYunetStrides(levels, 64, 64, 0.49).length, 1);
  });

  test('outputs of the wrong size for the input are refused, naming the output', () => {
    const levels = [8, 16, 32].map((s) => level(s, 64, 64));
    assert.throws(() => decodeYunetStrides(levels, 96, 64, 0.5), /cls_8 to hold 96 x 1 values/);
  });
});

describe('decodeYunetPriors', () => {
  const width = 64, height = 64;
  const count = yunetAnchorCount('priors', width, height);
  const loc = new Float32Array(count * 14);
  const conf = new Float32Array(count * 2);
  const iou = new Float32Array(count);

  test('zero offsets give the prior itself; width uses variance 0.1, height 0.2; score sqrt(face x clamped IoU)', () => {
    const i = 4; // cell (1, 0) of the stride-8 map, size 16
    conf[i * 2 + 1] = 0.64;
    iou[i] = 1.5;
    const [face] = decodeYunetPriors(loc, conf, iou, width, height, 0.5);
    assert.ok(Math.abs(face!.score - 0.8) < 1e-6);
    assert.deepEqual([face!.x, face!.y, face!.width, face!.height].map((v) => +v.toFixed(4)), [12 - 8, 4 - 8, 16, 16]);
    assert.deepEqual(face!.landmarks.map((v) => +v.toFixed(4)), [12, 4, 12, 4, 12, 4, 12, 4, 12, 4]);
    loc.set([1, -1, 1, 1], i * 14);
    const [moved] = decodeYunetPriors(loc, conf, iou, width, height, 0.5);
    assert.deepEqual([moved!.x + moved!.width / 2, moved!.y + moved!.height / 2].map((v) => +v.toFixed(4)), [12 + 1.6, 4 - 1.6]);
    assert.ok(Math.abs(moved!.width - 16 * Math.exp(0.1)) < 1e-4);
    assert.ok(Math.abs(moved!.height - 16 * Math.exp(0.2)) < 1e-4);
  });
});

describe('suppressYunet', () => {
  const face = (x: number, width: number, score: number): YunetCandidate => ({ x, y: 0, width, height: 10, score, landmarks: [] });

  test('overlap is judged on boxes truncated to whole pixels, as OpenCV does (IoU 0.333 there, 0.299 unrounded)', () => {
    const kept = suppressYunet([face(0, 10, 0.9), face(5.4, 10, 0.8)], 10);
    assert.equal(kept.length, 1);
    assert.equal(kept[0]!.score, 0.9);
  });

  test('faces that overlap less are all kept, best first, at most maxFaces', () => {
    const faces = [face(0, 10, 0.6), face(20, 10, 0.9), face(40, 10, 0.7)];
    assert.deepEqual(suppressYunet(faces, 10).map((f) => f.score), [0.9, 0.7, 0.6]);
    assert.deepEqual(suppressYunet(faces, 2).map((f) => f.score), [0.9, 0.7]);
  });
});
