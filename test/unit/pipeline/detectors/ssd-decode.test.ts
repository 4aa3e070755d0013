import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SSD_ANCHOR_COUNT } from '../../../../src/convert/faceapi/ssd-mobilenetv1.js';
import { readWeightsManifest } from '../../../../src/convert/faceapi/weights.js';
import { ssdAnchors } from '../../../../src/pipeline/detectors/ssd-anchors.js';
import { decodeSsdBox } from '../../../../src/pipeline/detectors/ssd-decode.js';
import { ssdDetections } from '../../../../src/pipeline/detectors/ssd-mobilenetv1.js';
import { FACEAPI_MODEL_DIR } from '../../../helpers/faceapi-reference.js';

const close = (actual: number, expected: number, tolerance = 1e-6) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

describe('ssdAnchors', () => {
  const anchors = ssdAnchors();

  it('has 5118 anchors of 4 values', () => assert.equal(anchors.length, SSD_ANCHOR_COUNT * 4));

  it('starts with the small square anchor of the top-left 32x32 cell', () => {
    // Centre 0.5 / 32 = 0.015625, side 0.1.
    [-0.034375, -0.034375, 0.065625, 0.065625].forEach((v, i) => close(anchors[i]!, v));
  });

  it("equals face-api's stored anchors (Output/extra_dim) to float32 rounding", async () => {
    const weights = await readWeightsManifest(`${FACEAPI_MODEL_DIR}/ssd_mobilenetv1_model-weights_manifest.json`);
    const stored = weights.get('Output/extra_dim', 3).data;
    assert.equal(stored.length, anchors.length);
    let max = 0;
    for (let i = 0; i < stored.length; i++) max = Math.max(max, Math.abs(stored[i]! - anchors[i]!));
    assert.ok(max <= 2.5e-7, `largest difference ${max}`);
  });
});

describe('decodeSsdBox', () => {
  // Anchor [ymin 0.2, xmin 0.4, ymax 0.6, xmax 0.6]: centre (y 0.4, x 0.5), height 0.4, width 0.2.
  const anchors = new Float32Array([0, 0, 1, 1, 0.2, 0.4, 0.6, 0.6]);

  it('a zero encoding gives the anchor back', () => {
    const box = decodeSsdBox(new Float32Array(8), anchors, 1);
    close(box.y1, 0.2); close(box.x1, 0.4); close(box.y2, 0.6); close(box.x2, 0.6);
  });

  it('moves the centre by t/10 of the anchor size and scales sides by exp(t/5)', () => {
    // ty 1 -> cy 0.4 + 0.1 * 0.4 = 0.44; tx -2 -> cx 0.5 - 0.2 * 0.2 = 0.46;
    // th 5 ln 2 -> height 0.8; tw 0 -> width 0.2.
    const encodings = new Float32Array([0, 0, 0, 0, 1, -2, 5 * Math.LN2, 0]);
    const box = decodeSsdBox(encodings, anchors, 1);
    close(box.y1, 0.04); close(box.y2, 0.84); close(box.x1, 0.36); close(box.x2, 0.56);
  });
});

describe('ssdDetections', () => {
  it('suppresses duplicates, maps to pixels and clamps to the image', () => {
    const anchors = ssdAnchors();
    const encodings = new Float32Array(SSD_ANCHOR_COUNT * 4);
    const scores = new Float32Array(SSD_ANCHOR_COUNT);
    // Anchor 0 (the small top-left anchor, partly outside the image) and its neighbour anchor 3, which overlaps it.
    scores[0] = 0.9;
    scores[3] = 0.8;
    scores[100] = 0.4; // below minScore
    const faces = ssdDetections({ encodings, scores }, { toPixelsX: 1000, toPixelsY: 500 }, 1000, 400, { minScore: 0.5, maxFaces: 10 });
    assert.equal(faces.length, 1);
    assert.equal(faces[0]!.score, scores[0]);
    close(faces[0]!.box.x, 0);
    close(faces[0]!.box.y, 0);
    close(faces[0]!.box.width, anchors[3]! * 1000, 1e-3);
    close(faces[0]!.box.height, anchors[2]! * 500, 1e-3);
  });
});
