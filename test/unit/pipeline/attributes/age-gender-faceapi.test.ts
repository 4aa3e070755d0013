import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InferenceSession } from 'onnxruntime-node';
import ort from 'onnxruntime-node';
import { ageGenderInput, averageViews, createFaceApiAgeGenderPredictor, FACEAPI_AGE_GENDER_DEFAULTS, faceBatch } from '../../../../src/pipeline/attributes/age-gender-faceapi.js';
import type { Detection, RgbImage } from '../../../../src/types.js';

/** A width x height image whose pixel (x, y) is (x, y, 100 + (x * y) % 50): no two pixels alike, no symmetry. */
function gradient(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([x, y, 100 + ((x * y) % 50)], (y * width + x) * 3);
  return { data, width, height };
}

/** The same image flipped left to right. */
function flipped(image: RgbImage): RgbImage {
  const data = new Uint8Array(image.data.length);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) data.set(image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3), (y * image.width + image.width - 1 - x) * 3);
  }
  return { data, width: image.width, height: image.height };
}

const face = (x: number, y: number, width: number, height: number): Detection => ({ box: { x, y, width, height }, score: 1 });
const slot = (tensor: { data: unknown }, i: number, size: number) => (tensor.data as Float32Array).subarray(i * size * size * 3, (i + 1) * size * size * 3);

test('the padded crop is face-api\'s crop, the same floats as faceBatch', () => {
  const image = gradient(40, 30);
  const faces = [face(3.5, 2.2, 10.4, 14), face(30, 20, 15, 15)];
  const input = ageGenderInput(image, faces, 16, { crop: 'padded', mirror: false });
  assert.deepEqual(input.dims, [2, 16, 16, 3]);
  assert.deepEqual(input.data, faceBatch(image, faces, 16).data);
});

test('the photo-square crop reads the photo around the box: no black, pixels at their place', () => {
  const image = gradient(40, 30);
  // A 6 x 10 box centred at (10, 12): the square is columns 5..14, rows 7..16, cropped at its own size.
  const input = ageGenderInput(image, [face(7, 7, 6, 10)], 10, { crop: 'photo-square', mirror: false });
  const crop = slot(input, 0, 10);
  assert.deepEqual([...crop.subarray(0, 3)], [5, 7, 100 + 35]);
  assert.deepEqual([...crop.subarray(crop.length - 3)], [14, 16, 100 + ((14 * 16) % 50)]);
  assert.ok(crop.every((v, i) => i % 3 !== 2 || v >= 100), 'no black pixel');
  // The padded crop of the same box has black columns where the photo square has the face's surroundings.
  const padded = slot(ageGenderInput(image, [face(7, 7, 6, 10)], 10, { crop: 'padded', mirror: false }), 0, 10);
  assert.equal(padded[2], 0);
});

test('at the photo\'s border the square moves inside (shift) or keeps black beyond it (black)', () => {
  const image = gradient(40, 30);
  // A 10 x 10 box at the left edge, centre (4, 12): the square would start at column -1.
  const edge = [face(0, 7, 8, 10)];
  const shifted = slot(ageGenderInput(image, edge, 10, { crop: 'photo-square', border: 'shift', mirror: false }), 0, 10);
  const black = slot(ageGenderInput(image, edge, 10, { crop: 'photo-square', border: 'black', mirror: false }), 0, 10);
  assert.deepEqual([...shifted.subarray(0, 3)], [0, 7, 100]);
  assert.deepEqual([...black.subarray(0, 3)], [0, 0, 0]);
  assert.deepEqual([...black.subarray(3, 6)], [...shifted.subarray(0, 3)], 'one column later: the photo\'s first column');
});

test('a margin widens the square about the same centre', () => {
  const image = gradient(40, 30);
  // Side round(1.2 * 10) = 12 around (10, 12): columns 4..15, rows 6..17.
  const crop = slot(ageGenderInput(image, [face(7, 7, 6, 10)], 12, { crop: 'photo-square', margin: 1.2, mirror: false }), 0, 12);
  assert.deepEqual([...crop.subarray(0, 2)], [4, 6]);
  assert.deepEqual([...crop.subarray(crop.length - 3, crop.length - 1)], [15, 17]);
});

test('mirror: each face\'s second view, after all faces, is its crop flipped and the crop of the flipped photo', () => {
  const image = gradient(40, 30);
  const faces = [face(7, 7, 6, 10), face(20, 5, 12, 12)];
  for (const crop of ['padded', 'photo-square'] as const) {
    const size = crop === 'padded' ? 10 : 12;
    const input = ageGenderInput(image, faces, size, { crop, mirror: true });
    assert.deepEqual(input.dims, [4, size, size, 3]);
    const mirroredPhoto = flipped(image);
    faces.forEach((f, i) => {
      const view = slot(input, i, size);
      const mirrored = slot(input, faces.length + i, size);
      for (let row = 0; row < size; row++) {
        for (let col = 0; col < size; col++) {
          const at = (row * size + col) * 3;
          const from = (row * size + size - 1 - col) * 3;
          assert.deepEqual([...mirrored.subarray(at, at + 3)], [...view.subarray(from, from + 3)], `${crop} face ${i} (${row}, ${col})`);
        }
      }
      // At the crop's own size no resampling happens: the flipped photo's crop of the flipped box is the same view.
      if (crop === 'photo-square' && faces[i]!.box.width === faces[i]!.box.height) {
        const box = f.box;
        const ofFlipped = slot(ageGenderInput(mirroredPhoto, [face(40 - box.x - box.width, box.y, box.width, box.height)], size, { crop, mirror: false }), 0, size);
        assert.deepEqual(ofFlipped, mirrored);
      }
    });
  }
});

test('averageViews: mean years, mean gender logit, face-api\'s labels', () => {
  const single = averageViews([{ ageYears: 30, maleProbability: 0.2 }]);
  assert.deepEqual(single, { ageYears: 30, gender: { label: 'female', probability: 0.8 } });
  const two = averageViews([{ ageYears: 30, maleProbability: 0.9 }, { ageYears: 34, maleProbability: 0.6 }]);
  assert.equal(two.ageYears, 32);
  assert.equal(two.gender!.label, 'male');
  // logit 0.9 = ln 9, logit 0.6 = ln 1.5: mean ln sqrt(13.5), odds 3.674 -> 0.786.
  assert.ok(Math.abs(two.gender!.probability - Math.sqrt(13.5) / (1 + Math.sqrt(13.5))) < 1e-12);
  // Two agreeing views stay as sure as each; a saturated view stays finite.
  assert.ok(Math.abs(averageViews([{ ageYears: 1, maleProbability: 0.1 }, { ageYears: 1, maleProbability: 0.1 }]).gender!.probability - 0.9) < 1e-12);
  const saturated = averageViews([{ ageYears: 1, maleProbability: 1 }, { ageYears: 1, maleProbability: 0.3 }]);
  assert.equal(saturated.gender!.label, 'male');
  assert.ok(saturated.gender!.probability < 1);
});

/**
 * A stand-in for the converted network: age = the mean red value of the left half of the crop,
 * male probability = the share of the crop's blue mass in its left half. A crop and its
 * mirror give different answers, so the runner's averaging shows.
 */
function fakeSession(seen: number[][]): InferenceSession {
  return {
    inputNames: ['image'],
    async run(feeds: Record<string, { data: unknown; dims: readonly number[] }>) {
      const input = feeds.image!;
      const [n, size] = input.dims as [number, number];
      seen.push([...input.dims]);
      const data = input.data as Float32Array;
      const age = new Float32Array(n);
      const gender = new Float32Array(n * 2);
      for (let i = 0; i < n; i++) {
        let leftRed = 0;
        let leftBlue = 0;
        let blue = 0;
        for (let row = 0; row < size; row++) {
          for (let col = 0; col < size; col++) {
            const at = i * size * size * 3 + (row * size + col) * 3;
            blue += data[at + 2]!;
            if (col < size / 2) (leftRed += data[at]!), (leftBlue += data[at + 2]!);
          }
        }
        age[i] = leftRed / ((size * size) / 2);
        gender[i * 2] = leftBlue / blue;
        gender[i * 2 + 1] = 1 - leftBlue / blue;
      }
      return { age: new ort.Tensor('float32', age, [n, 1]), gender: new ort.Tensor('float32', gender, [n, 2]) };
    },
  } as unknown as InferenceSession;
}

test('the runner runs both views in one batch and answers their average', async () => {
  const image = gradient(300, 200);
  const faces = [face(20, 30, 100, 120), face(150, 10, 90, 90)];
  const seen: number[][] = [];
  const single = await createFaceApiAgeGenderPredictor(fakeSession(seen), { crop: 'photo-square', mirror: false }).predict(image, faces);
  const both = await createFaceApiAgeGenderPredictor(fakeSession(seen), { crop: 'photo-square', mirror: true }).predict(image, faces);
  assert.deepEqual(seen, [[2, 112, 112, 3], [4, 112, 112, 3]]);
  // Mirrored, the left half is the right half: the fake's age reads the crop's mean red over both views.
  const input = ageGenderInput(image, faces, 112, { crop: 'photo-square', mirror: false });
  faces.forEach((_, i) => {
    const crop = slot(input, i, 112);
    let red = 0;
    for (let p = 0; p < crop.length; p += 3) red += crop[p]!;
    assert.ok(Math.abs(both[i]!.ageYears! - red / (112 * 112)) < 1e-3, `face ${i}: ${both[i]!.ageYears} vs ${red / (112 * 112)}`);
    assert.ok(both[i]!.ageYears! > single[i]!.ageYears!, 'the mirror view sees the brighter right half');
  });
  // The fake's male probabilities of a crop and its mirror are L and 1 - L: opposite logits, whose mean is even odds.
  for (const [i, p] of both.entries()) {
    assert.notEqual(single[i]!.gender!.probability, 0.5);
    assert.ok(Math.abs(p.gender!.probability - 0.5) < 1e-6, `face ${i}: ${JSON.stringify(p)}`);
  }
  assert.equal(createFaceApiAgeGenderPredictor(fakeSession(seen), { crop: 'photo-square', margin: 1.1 }).cropSide, 102);
});

test('callable with the session alone: the defaults (photo square, mirrored)', async () => {
  const seen: number[][] = [];
  const predictor = createFaceApiAgeGenderPredictor(fakeSession(seen));
  assert.deepEqual(FACEAPI_AGE_GENDER_DEFAULTS, { crop: 'photo-square', margin: 1, border: 'shift', mirror: true });
  assert.equal(predictor.cropSide, 112);
  const faces = [face(20, 30, 100, 120)];
  const [answer] = await predictor.predict(gradient(300, 200), faces);
  assert.deepEqual(seen, [[2, 112, 112, 3]]);
  const [explicit] = await createFaceApiAgeGenderPredictor(fakeSession([]), { crop: 'photo-square', margin: 1, border: 'shift', mirror: true }).predict(gradient(300, 200), faces);
  const [padded] = await createFaceApiAgeGenderPredictor(fakeSession([]), { crop: 'padded', mirror: true }).predict(gradient(300, 200), faces);
  assert.deepEqual(answer, explicit);
  assert.notDeepEqual(answer, padded);
});

test('options are checked with messages naming what is allowed', () => {
  const session = fakeSession([]);
  assert.throws(() => createFaceApiAgeGenderPredictor(session, { crop: 'tight' as never }), /Expected crop to be one of: padded, photo-square but received tight/);
  assert.throws(() => createFaceApiAgeGenderPredictor(session, { crop: 'photo-square', margin: 0.8 }), /Expected a number between 1 and 1.5 for margin but received 0.8/);
  assert.throws(() => createFaceApiAgeGenderPredictor(session, { crop: 'padded', margin: 1.2 }), /Expected margin 1 with the padded crop/);
  assert.throws(() => createFaceApiAgeGenderPredictor(session, { border: 'mirror' as never }), /Expected border to be one of: shift, black but received mirror/);
  // As a profile document might give them.
  assert.throws(() => createFaceApiAgeGenderPredictor(session, { mirror: 'true' as never }), /Expected boolean for mirror but received true of type string/);
  assert.throws(() => createFaceApiAgeGenderPredictor(session, { margin: '1.1' as never }), /Expected number for margin but received 1.1 of type string/);
  assert.throws(() => createFaceApiAgeGenderPredictor(session, { flip: true } as never), /Expected age\/gender options among: crop, margin, border, mirror but received flip/);
});
