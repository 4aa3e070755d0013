import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ultrafaceFaces } from '../../../../src/pipeline/detectors/ultraface.js';
import { inspectUltrafaceModel, prepareUltrafaceModel, ultrafacePriorCount } from '../../../../src/pipeline/detectors/ultraface-import.js';
import { modelSignature } from '../../../../src/convert/onnx/model-signature.js';
import { GraphBuilder } from '../../../../src/convert/onnx/graph-builder.js';
import { declaredModel } from '../../../helpers/synthetic-detectors.js';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

describe('ultrafaceFaces', () => {
  test('face-class scores above minScore, boxes scaled to the photo and clamped, overlaps above 0.3 dropped', () => {
    const scores = Float32Array.from([0.1, 0.9, 0.2, 0.8, 0.6, 0.4, 0.3, 0.7]);
    const boxes = Float32Array.from([0.1, 0.1, 0.3, 0.5, 0.12, 0.1, 0.32, 0.5, 0, 0, 1, 1, 0.9, 0.9, 1.1, 1.2]);
    const faces = ultrafaceFaces(scores, boxes, 200, 100, { minScore: 0.5, maxFaces: 10 });
    assert.deepEqual(faces.map((f) => +f.score.toFixed(2)), [0.9, 0.7]);
    assert.deepEqual(Object.values(faces[0]!.box).map((v) => +v.toFixed(3)), [20, 10, 40, 40]);
    assert.deepEqual(Object.values(faces[1]!.box).map((v) => +v.toFixed(3)), [180, 90, 20, 10]);
  });

  test('scores and boxes that disagree in count are refused', () => {
    assert.throws(() => ultrafaceFaces(new Float32Array(4), new Float32Array(4), 10, 10, { minScore: 0.5, maxFaces: 1 }), /Expected 4 box values per UltraFace score pair/);
  });
});

describe('UltraFace import checks', () => {
  const ultraface = (size: [number, number], rows: number) =>
    declaredModel([{ name: 'input', dims: [1, 3, size[1], size[0]] }], [{ name: 'scores', dims: [1, rows, 2] }, { name: 'boxes', dims: [1, rows, 4] }]);

  test('the authors\' prior layout gives 4420 rows at 320x240 and 17640 at 640x480', () => {
    assert.equal(ultrafacePriorCount(320, 240), 4420);
    assert.equal(ultrafacePriorCount(640, 480), 17640);
  });

  test('RFB-320 and RFB-640 shapes are accepted with their size', () => {
    assert.deepEqual(inspectUltrafaceModel(ultraface([320, 240], 4420)), { family: 'ultraface', inputName: 'input', size: [320, 240], priors: 4420 });
    assert.deepEqual(inspectUltrafaceModel(ultraface([640, 480], 17640)).size, [640, 480]);
  });

  test('a row count that does not fit the input size is refused, naming both', () => {
    assert.throws(() => inspectUltrafaceModel(ultraface([640, 480], 4420)), /output scores has 4420 rows where a 640x480 input gives 17640 priors/);
  });

  test('a YuNet file is refused naming what UltraFace has', () => {
    const yunet = declaredModel([{ name: 'input', dims: [1, 3, 120, 160] }], [{ name: 'loc', dims: [1076, 14] }, { name: 'conf', dims: [1076, 2] }, { name: 'iou', dims: [1076, 1] }]);
    assert.throws(() => inspectUltrafaceModel(yunet), (e: Error) => /Expected an UltraFace face detector/.test(e.message) && /no output "scores"/.test(e.message) && /loc \[1076, 14\]/.test(e.message));
  });

  test('prepareUltrafaceModel drops weights listed as inputs and weights no node reads', () => {
    const g = new GraphBuilder('weights-as-inputs');
    const x = g.input('input', [1, 3, 240, 320]);
    const w = g.constant('w', new Float32Array(1), [1]);
    g.constant('unused', new Float32Array(1), [1]);
    const y = g.op('Mul', [x, w]);
    g.output(g.op('Identity', [y]), 'scores', [1, 4420, 2]);
    g.output(g.op('Identity', [y]), 'boxes', [1, 4420, 4]);
    // List the weight as a graph input too, as old exporters do.
    const model = onnx.ModelProto.decode(g.serialize());
    (model.graph!.input as unknown[]).push({ name: w, type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 1 }] } } } });
    const bytes = onnx.ModelProto.encode(model).finish();
    assert.equal(modelSignature(bytes).inputs.length, 1, 'the signature already ignores weight inputs');
    const { bytes: stored, info } = prepareUltrafaceModel(bytes);
    assert.equal(info.priors, 4420);
    const graph = onnx.ModelProto.decode(stored).graph!;
    assert.deepEqual(graph.input!.map((i) => i.name), ['input']);
    assert.deepEqual(graph.initializer!.map((t) => t.name), [w]);
  });
});
