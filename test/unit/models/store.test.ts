import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ModelStore, sha256 } from '../../../src/models/store.js';
import type { ModelDefinition } from '../../../src/models/registry.js';
import { FaceReadError } from '../../../src/errors.js';

/** A model whose "conversion" writes known bytes and counts its calls. */
function countingModel(overrides: Partial<ModelDefinition> = {}) {
  const calls = { count: 0 };
  const model = {
    id: 'test-model',
    role: 'detector',
    description: 'test',
    license: 'MIT',
    source: { package: '@vladmandic/face-api', folder: 'model', files: ['tiny_face_detector_model-weights_manifest.json'] },
    convert: async () => {
      calls.count++;
      await new Promise((resolve) => setTimeout(resolve, 30));
      return new TextEncoder().encode(`onnx bytes #${calls.count}`);
    },
    runner: async () => () => ({ detect: async () => [] }),
    ...overrides,
  } as ModelDefinition;
  return { model, calls };
}

async function tempStore() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'faceread-store-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

test('converts once, records hashes, then loads from the store', async () => {
  const { dir, cleanup } = await tempStore();
  const { model, calls } = countingModel();
  const logs: string[] = [];
  const store = new ModelStore(dir, (m) => logs.push(m));
  const first = await store.ensure(model);
  const second = await store.ensure(model);
  assert.equal(calls.count, 1);
  assert.deepEqual([first.converted, second.converted], [true, false]);
  assert.deepEqual(await store.peek(model), second);
  assert.equal(first.path, second.path);
  const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
  const entry = manifest.models['test-model'];
  assert.equal(entry.sha256, sha256(await readFile(first.path)));
  assert.equal(entry.sourcePackage, '@vladmandic/face-api');
  assert.match(entry.sourceVersion, /^\d+\.\d+\.\d+/);
  assert.match(entry.sourceSha256, /^[0-9a-f]{64}$/);
  assert.ok(logs.some((l) => /converting test-model \(not in the store yet\)/.test(l)));
  assert.deepEqual((await readdir(dir)).filter((f) => f.includes('.tmp-')), [], 'no temp files left');
  await cleanup();
});

test('a corrupted, deleted or unlisted model is converted again and said so', async () => {
  const { dir, cleanup } = await tempStore();
  const { model, calls } = countingModel();
  const logs: string[] = [];
  const store = new ModelStore(dir, (m) => logs.push(m));
  const { path: file } = await store.ensure(model);
  await writeFile(file, 'garbage');
  await store.ensure(model);
  assert.equal(calls.count, 2);
  assert.ok(logs.some((l) => /does not match its sha256/.test(l)));
  await rm(file);
  await store.ensure(model);
  assert.equal(calls.count, 3);
  await writeFile(path.join(dir, 'manifest.json'), '{ not json');
  await store.ensure(model);
  assert.equal(calls.count, 4);
  assert.ok(logs.some((l) => /manifest.json is unreadable/.test(l)));
  await cleanup();
});

test('start-up trusts a file of the recorded size and time; verify (thorough) hashes it anyway', async () => {
  const { dir, cleanup } = await tempStore();
  const { model, calls } = countingModel();
  const store = new ModelStore(dir);
  const { path: file } = await store.ensure(model);
  const entry = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')).models['test-model'];
  const { size, mtimeMs } = await stat(file);
  assert.deepEqual(entry.written, { size, mtimeMs });
  // Same length, other bytes, and a time the manifest agrees with (as if the old time were put back):
  // only hashing can tell.
  await writeFile(file, 'onnx bytes #9');
  const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
  manifest.models['test-model'].written.mtimeMs = (await stat(file)).mtimeMs;
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  assert.equal((await store.ensure(model)).converted, false, 'quick check: size and time match');
  const [described] = await store.describe([model]);
  assert.equal(described!.status, 'corrupted', 'thorough check: the hash differs');
  // A file written again (new time) is hashed at start-up too.
  await writeFile(file, 'onnx bytes #9');
  assert.equal((await store.ensure(model)).converted, true);
  assert.equal(calls.count, 2);
  await cleanup();
});

test('two stores on one folder at once convert the model only once (lock)', async () => {
  const { dir, cleanup } = await tempStore();
  const { model, calls } = countingModel();
  const results = await Promise.all([new ModelStore(dir).ensure(model), new ModelStore(dir).ensure(model)]);
  assert.equal(calls.count, 1);
  assert.equal(results[0].sha256, results[1].sha256);
  await cleanup();
});

test('a failing conversion is a MODEL_UNAVAILABLE error and leaves nothing behind', async () => {
  const { dir, cleanup } = await tempStore();
  const { model } = countingModel({ convert: async () => { throw new Error('weights are truncated'); } });
  await assert.rejects(new ModelStore(dir).ensure(model), (error: unknown) => {
    assert.ok(error instanceof FaceReadError);
    assert.equal(error.code, 'MODEL_UNAVAILABLE');
    assert.match(error.message, /Converting test-model from .* failed: weights are truncated/);
    return true;
  });
  assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith('.onnx') || f === 'manifest.json'), []);
  await cleanup();
});

test('a missing source package names the package and the fix', async () => {
  const { dir, cleanup } = await tempStore();
  const { model } = countingModel({ source: { package: '@faceread/no-such-package', folder: 'model', files: ['x'] } });
  await assert.rejects(new ModelStore(dir).ensure(model), /@faceread\/no-such-package .* is not installed\. Possible fixes: run `npm ci`/);
  await cleanup();
});
