import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chainFromSpec, detectorChain } from '../../../../src/pipeline/detectors/detector-chain.js';
import type { DetectOptions, FaceDetector } from '../../../../src/pipeline/runner-types.js';
import type { Detection, RgbImage } from '../../../../src/types.js';

const image: RgbImage = { data: new Uint8Array(100 * 80 * 3), width: 100, height: 80 };
const options = { minScore: 0.5, maxFaces: 10 };
const face = (x: number, score: number): Detection => ({ box: { x, y: 10, width: 20, height: 20 }, score });

/** A detector that answers `faces` (kept to the asked min score, as a runner does) and records each call. */
function recording(faces: Detection[], inputSide?: number) {
  const calls: { image: RgbImage; options: DetectOptions }[] = [];
  const detector: FaceDetector = {
    ...(inputSide === undefined ? {} : { inputSide }),
    detect: async (img, opts) => (calls.push({ image: img, options: opts }), faces.filter((f) => f.score >= opts.minScore)),
  };
  return { detector, calls };
}

test('faces found by the first detector come back without running the next', async () => {
  const first = recording([face(10, 0.9)]);
  const second = recording([face(50, 0.99)]);
  const chain = detectorChain([{ id: 'first', detector: first.detector }, { id: 'second', detector: second.detector }]);
  assert.deepEqual(await chain.detectWithLink(image, options), { faces: [face(10, 0.9)], link: 'first', model: 'first' });
  assert.equal(first.calls.length, 1);
  assert.equal(second.calls.length, 0);
});

test('the next detector runs on the same photo only when the one before found nothing', async () => {
  const first = recording([face(10, 0.3)]);
  const second = recording([]);
  const third = recording([face(50, 0.8)]);
  const chain = detectorChain([
    { id: 'first', detector: first.detector },
    { id: 'second', detector: second.detector },
    { id: 'third', detector: third.detector },
  ]);
  assert.deepEqual(await chain.detectWithLink(image, options), { faces: [face(50, 0.8)], link: 'third', model: 'third' });
  assert.deepEqual([first.calls.length, second.calls.length, third.calls.length], [1, 1, 1]);
  assert.equal(third.calls[0]!.image, image);
});

test('nothing found by any: no faces, no link, each detector asked once', async () => {
  const links = [recording([]), recording([])];
  const chain = detectorChain(links.map((l, i) => ({ id: `d${i}`, detector: l.detector })));
  assert.deepEqual(await chain.detectWithLink(image, options), { faces: [], link: null, model: null });
  assert.deepEqual(await chain.detect(image, options), []);
  assert.deepEqual(links.map((l) => l.calls.length), [2, 2]);
});

test("a link's own min score raises the caller's, never lowers it", async () => {
  const fallback = recording([face(10, 0.7), face(50, 0.9)]);
  const chain = detectorChain([{ id: 'first', detector: recording([]).detector }, { id: 'fallback', detector: fallback.detector, minScore: 0.75 }]);
  assert.deepEqual(await chain.detect(image, { minScore: 0.5, maxFaces: 10 }), [face(50, 0.9)]);
  assert.deepEqual(await chain.detect(image, { minScore: 0.95, maxFaces: 10 }), []);
  assert.deepEqual(fallback.calls.map((c) => c.options.minScore), [0.75, 0.95]);
});

test('a link that ignores the options is held to them: min score, highest first, at most maxFaces', async () => {
  const careless: FaceDetector = { detect: async () => [face(0, 0.6), face(10, 0.2), face(20, 0.95), face(30, 0.7)] };
  const chain = detectorChain([{ id: 'careless', detector: careless }]);
  assert.deepEqual((await chain.detect(image, { minScore: 0.5, maxFaces: 2 })).map((f) => f.score), [0.95, 0.7]);
  // Only faces below the min score: the chain goes on as if nothing was found.
  const next = recording([face(40, 0.8)]);
  const chain2 = detectorChain([{ id: 'careless', detector: careless }, { id: 'next', detector: next.detector }]);
  assert.equal((await chain2.detectWithLink(image, { minScore: 0.99, maxFaces: 5 })).link, null);
  assert.equal(next.calls.length, 1);
});

test('boxes are clamped to the photo, landmarks kept; boxes wholly outside count as nothing found', async () => {
  const spilling: FaceDetector = {
    detect: async () => [{ box: { x: -10, y: 70, width: 30, height: 20 }, score: 0.9, landmarks: [[5, 75]] }],
  };
  const outside: FaceDetector = { detect: async () => [{ box: { x: 120, y: 10, width: 20, height: 20 }, score: 0.9 }] };
  const chain = detectorChain([{ id: 'outside', detector: outside }, { id: 'spilling', detector: spilling }]);
  assert.deepEqual(await chain.detectWithLink(image, options), {
    faces: [{ box: { x: 0, y: 70, width: 20, height: 10 }, score: 0.9, landmarks: [[5, 75]] }],
    link: 'spilling',
    model: 'spilling',
  });
});

test('the chain needs the largest input side of its links, or the full photo when any link does', () => {
  assert.equal(detectorChain([{ id: 'a', detector: recording([], 512).detector }, { id: 'b', detector: recording([], 128).detector }]).inputSide, 512);
  assert.equal(detectorChain([{ id: 'a', detector: recording([], 512).detector }, { id: 'b', detector: recording([]).detector }]).inputSide, undefined);
  assert.throws(() => detectorChain([]), RangeError);
});

test("a profile's chain: a model named twice shares its runner, bordered links see the photo in a border", async () => {
  const ssd = recording([]);
  const blaze = recording([face(30, 0.8), face(60, 0.6)]);
  const runners = new Map([['ssd', ssd.detector], ['blaze', blaze.detector]]);
  const chain = chainFromSpec(
    [{ model: 'ssd' }, { model: 'ssd', borders: [0.25, 0.625] }, { model: 'blaze', borders: [0.25], minScore: 0.75 }],
    (id) => runners.get(id)!,
  );
  assert.deepEqual(chain.links.map((l) => l.id), ['ssd', 'ssd+border', 'blaze+border']);
  const { faces, link } = await chain.detectWithLink(image, options);
  assert.equal(link, 'blaze+border');
  // SSD saw the photo, then its two bordered copies (borders 25 and 63 px of 100); BlazeFace one bordered copy.
  assert.deepEqual(ssd.calls.map((c) => c.image.width), [100, 150, 226]);
  assert.deepEqual(blaze.calls.map((c) => [c.image.width, c.options.minScore]), [[150, 0.75]]);
  // Its face at (30, 10) 20 px square in the bordered copy is at (5, -15) in the photo: clamped to its top 5 rows.
  // The 0.6 one is below the link's 0.75.
  assert.deepEqual(faces, [{ box: { x: 5, y: 0, width: 20, height: 5 }, score: 0.8 }]);
});
