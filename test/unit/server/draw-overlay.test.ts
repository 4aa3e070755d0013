import assert from 'node:assert/strict';
import { it } from 'node:test';
import sharp from 'sharp';
import { drawOverlay, faceLabel, overlaySvg } from '../../../src/image/draw-overlay.js';
import type { AnalysisResult } from '../../../src/types.js';

const result: AnalysisResult = {
  image: { width: 60, height: 40 },
  faces: [{ box: { x: 10, y: 20, width: 20, height: 15 }, score: 0.9, gender: { label: 'female', probability: 0.966 }, age: { years: 28.4, bucket: '25-32', range: [25, 32] } }],
  timingsMs: { decode: 1, detect: 1, attributes: 1, total: 3 },
  models: { detector: 'd', age: 'a', gender: 'g' },
};

it('labels a face as "female 97% · 28 y, 25-32 (25-32)" (years, calibrated range, bucket) and escapes SVG text', () => {
  assert.equal(faceLabel(result.faces[0]!), 'female 97% · 28 y, 25-32 (25-32)');
  // An age between buckets is never shown beside its bucket as if inside it.
  assert.equal(faceLabel({ box: { x: 0, y: 0, width: 1, height: 1 }, score: 1, age: { years: 23.1, bucket: '25-32' } }), '23 y (nearest 25-32)');
  assert.equal(faceLabel({ box: { x: 0, y: 0, width: 1, height: 1 }, score: 1 }), '');
  const svg = overlaySvg(result, 60, 40);
  assert.match(svg, /<rect x="10.0" y="20.0" width="20.0" height="15.0"/);
  assert.match(svg, /female 97% · 28 y, 25-32 \(25-32\)/);
});

it('draws in the EXIF-oriented frame: a 40x60 photo with orientation 6 is annotated as 60x40', async () => {
  // Stored 40 wide, 60 tall; orientation 6 shows it turned a quarter, 60 wide and 40 tall (the result's frame).
  const stored = await sharp({ create: { width: 40, height: 60, channels: 3, background: '#000' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
  const png = await drawOverlay(stored, result, 'png');
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  assert.deepEqual([info.width, info.height], [60, 40]);
  // The left edge of the box at x=10, y=30 is pink; the middle of the box stays black.
  const at = (x: number, y: number) => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3)];
  const edge = at(10, 30);
  assert.ok(edge[0]! > 150 && edge[2]! > 60 && edge[1]! < 120, `edge ${edge}`);
  assert.ok(Math.max(...at(20, 28)) < 40, `inside ${at(20, 28)}`);
  const jpeg = await drawOverlay(stored, result, 'jpeg');
  assert.equal((await sharp(jpeg).metadata()).format, 'jpeg');
  await assert.rejects(drawOverlay(stored, result, 'gif' as 'png'), /Expected one of: png, jpeg for format but received 'gif'/);
});

it('labels of crowded faces do not cover one another: a face just below another gets its label inside or under its box', () => {
  // As on sample5: face 2's label above its box would sit on face 1's label.
  const face = (x: number, y: number) => ({ box: { x, y, width: 150, height: 200 }, score: 0.9, gender: { label: 'female' as const, probability: 0.9 }, age: { years: 30, bucket: '25-32' as const } });
  const crowded: AnalysisResult = { ...result, image: { width: 1000, height: 800 }, faces: [face(400, 300), face(420, 315), face(100, 100)] };
  const svg = overlaySvg(crowded, 1000, 800);
  const labels = [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="(\d+)" height="(\d+)" fill="[^"]+" fill-opacity/g)].map((m) => m.slice(1, 5).map(Number));
  assert.equal(labels.length, 3);
  for (const [i, [ax, ay, aw, ah]] of labels.entries()) {
    for (const [bx, by, bw, bh] of labels.slice(i + 1)) {
      assert.ok(ax! + aw! <= bx! || bx! + bw! <= ax! || ay! + ah! <= by! || by! + bh! <= ay!, `labels at ${ax},${ay} and ${bx},${by} overlap`);
    }
  }
  // The first face keeps its label above its box.
  assert.ok(labels[0]![1]! + labels[0]![3]! <= 300);
});
