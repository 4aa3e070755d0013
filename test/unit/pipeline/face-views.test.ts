import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BAND_BELOW, faceViews, type PhotoPixels, type SharperRegion } from '../../../src/pipeline/face-views.js';
import type { Box, Detection } from '../../../src/types.js';

const image = { data: new Uint8Array(400 * 300 * 3), width: 400, height: 300 };
const face = (x: number, y: number, side: number): Detection => ({ box: { x, y, width: side, height: side }, score: 0.9, landmarks: [[x + side / 2, y + side / 2]] });

test('without sharper pixels every face is cropped from the detection image', async () => {
  const faces = [face(10, 10, 20), face(100, 100, 200)];
  const views = await faceViews({ image }, faces, 112);
  assert.equal(views.length, 1);
  assert.equal(views[0]!.image, image);
  assert.deepEqual(views[0]!.indices, [0, 1]);
  assert.deepEqual(views[0]!.toPhoto([3, 4]), [3, 4]);
});

test('faces under half the crop side come from one sharper band, in its pixels, and map back', async () => {
  const asked: Box[] = [];
  // The band at 4x the detection image's resolution.
  const photo: PhotoPixels = {
    image,
    sharper: async (rect): Promise<SharperRegion> => {
      asked.push(rect);
      const width = Math.round(rect.width * 4);
      const height = Math.round(rect.height * 4);
      return { image: { data: new Uint8Array(width * height * 3), width, height }, origin: { x: rect.x, y: rect.y }, scale: 0.25 };
    },
  };
  // 120 and 60 px keep at least half of a 112 px crop's pixels; 20 and 30 px do not.
  const faces = [face(200, 100, 120), face(40, 60, 20), face(300, 200, 30), face(150, 20, 60)];
  const views = await faceViews(photo, faces, 112);
  assert.equal(BAND_BELOW, 0.5);
  assert.equal(views.length, 2);
  assert.deepEqual(views[0]!.indices, [0, 3]);
  assert.deepEqual(views[1]!.indices, [1, 2]);
  assert.equal(asked.length, 1, 'one band for all small faces');
  // The band holds both small faces with a margin of 0.75 of their side, clipped to the image.
  assert.deepEqual(asked[0], { x: 25, y: 45, width: 327.5, height: 207.5 });
  const [first, second] = views[1]!.faces;
  assert.deepEqual(first!.box, { x: (40 - 25) * 4, y: (60 - 45) * 4, width: 80, height: 80 });
  assert.deepEqual(second!.landmarks, [[(315 - 25) * 4, (215 - 45) * 4]]);
  assert.deepEqual(views[1]!.toPhoto(second!.landmarks![0]!), [315, 215]);
  assert.equal(faces[1]!.box.width, 20, 'the photo\'s detections are left as they are');
});
