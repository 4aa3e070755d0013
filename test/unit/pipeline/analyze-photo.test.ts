import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveAnalyzeOptions } from '../../../src/pipeline/analyze-options.js';
import { analyzeFaces, type LoadedRunners } from '../../../src/pipeline/analyze-photo.js';
import { detectorChain } from '../../../src/pipeline/detectors/detector-chain.js';
import type { AttributePrediction, AttributePredictor, FaceDetector, LandmarkFinder } from '../../../src/pipeline/runner-types.js';
import type { Detection, Point, RgbImage } from '../../../src/types.js';

const photo: RgbImage = { data: new Uint8Array(64 * 64 * 3), width: 64, height: 64 };
const face: Detection = { box: { x: 10, y: 10, width: 30, height: 30 }, score: 0.9 };

/** A detector that finds `faces` and counts its calls (a test double of the interface). */
function detector(faces: Detection[]) {
  const calls = { count: 0 };
  const runner: FaceDetector = {
    inputSide: 64,
    async detect() {
      calls.count++;
      return faces.map((f) => ({ ...f, box: { ...f.box } }));
    },
  };
  return { runner, calls };
}

/** A predictor answering `answer` for every face. */
const predictor = (answer: AttributePrediction): AttributePredictor => ({ cropSide: 0, predict: async (_image, faces) => faces.map(() => answer) });

const runnersWith = (detectors: FaceDetector[], answers: LoadedRunners['answers']): LoadedRunners => ({
  detector: detectorChain(detectors.map((detector, i) => ({ id: `d${i}`, detector }))),
  attributeModels: [
    { id: 'young', runner: predictor({ ageYears: 20, gender: { label: 'female', probability: 0.9 } }) },
    { id: 'old', runner: predictor({ ageYears: 60, gender: { label: 'male', probability: 0.7 } }) },
  ],
  answers,
});

describe('analyzeFaces', () => {
  it('answers each attribute with the model the profile names alone, even when another model also provides it', async () => {
    const runners = runnersWith([detector([face]).runner], { age: { models: ['old'], combine: 'alone' }, gender: { models: ['young'], combine: 'alone' } });
    const { faces, models } = await analyzeFaces({ image: photo }, resolveAnalyzeOptions({}), runners);
    assert.equal(faces[0]!.age!.years, 60);
    assert.deepEqual(faces[0]!.gender, { label: 'female', probability: 0.9 });
    assert.deepEqual(models, { detector: 'd0', age: 'old', gender: 'young' });
  });

  it('averages only where the profile asks for an ensemble', async () => {
    const runners = runnersWith([detector([face]).runner], { age: { models: ['young', 'old'], combine: 'mean' } });
    const { faces, models } = await analyzeFaces({ image: photo }, resolveAnalyzeOptions({}), runners);
    assert.equal(faces[0]!.age!.years, 40);
    assert.equal(faces[0]!.gender, undefined, 'no model answers gender in this profile');
    assert.deepEqual(models, { detector: 'd0', age: 'young+old', gender: null });
  });

  it('runs a fallback detector only when the ones before it found nothing', async () => {
    const empty = detector([]);
    const fallback = detector([face]);
    const found = await analyzeFaces({ image: photo }, resolveAnalyzeOptions({}), runnersWith([empty.runner, fallback.runner], {}));
    assert.equal(found.faces.length, 1);
    assert.equal(found.models.detector, 'd1');

    const first = detector([face]);
    const unused = detector([face]);
    const direct = await analyzeFaces({ image: photo }, resolveAnalyzeOptions({}), runnersWith([first.runner, unused.runner], {}));
    assert.equal(direct.models.detector, 'd0');
    assert.equal(unused.calls.count, 0);
  });

  it('runs the refined landmark pass only when pose is asked, and fits pose to its points', async () => {
    // First points: a level face; refined points: the same face rolled a quarter turn (an answer no level face gives).
    const level: Point[] = Array.from({ length: 68 }, (_, i) => [20 + (i % 10), 20 + Math.floor(i / 10)]);
    const calls = { refine: 0 };
    const landmarks: LandmarkFinder = {
      cropSide: 0,
      locate: async (_image, faces) => faces.map(() => level.slice(0, 5)),
      locate68: async (_image, faces) => faces.map(() => level),
      async refine68(_image, points68) {
        calls.refine++;
        assert.deepEqual(points68, [level]);
        return points68.map((points) => points.map(([x, y]): Point => [60 - y, x]));
      },
    };
    const runners = { ...runnersWith([detector([face]).runner], {}), landmarks: { id: 'l', runner: landmarks } };
    await analyzeFaces({ image: photo }, resolveAnalyzeOptions({ attributes: ['age', 'gender', 'eyes', 'mouth'] }), runners);
    assert.equal(calls.refine, 0);
    const { faces } = await analyzeFaces({ image: photo }, resolveAnalyzeOptions({ attributes: ['pose'] }), runners);
    assert.equal(calls.refine, 1);
    const unrefined = await analyzeFaces({ image: photo }, resolveAnalyzeOptions({ attributes: ['pose'] }), { ...runners, landmarks: { id: 'l', runner: { ...landmarks, refine68: undefined } } });
    assert.ok(Math.abs(Math.abs(faces[0]!.pose!.roll - unrefined.faces[0]!.pose!.roll) - 90) < 1e-6, `${faces[0]!.pose!.roll} vs ${unrefined.faces[0]!.pose!.roll}`);
  });
});
