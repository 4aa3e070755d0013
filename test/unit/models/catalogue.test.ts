import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Catalogue } from '../../../src/models/catalogue.js';
import { verifyImported } from '../../../src/models/imported-store.js';
import { resolveStoredProfile } from '../../../src/models/prepare.js';
import { BUILT_IN_PROFILES } from '../../../src/models/profiles.js';
import { checkProfileName, removeProfile, saveImport, setProfile } from '../../../src/models/saved-profiles.js';
import { ModelStore } from '../../../src/models/store.js';

const tempStore = () => new ModelStore(mkdtempSync(path.join(os.tmpdir(), 'faceread-catalogue-')));
const model = (slot: string, kind: string, bytes = Uint8Array.of(1, 2, 3)) => ({ slot, kind, bytes, sources: [{ path: `/x/${slot}.prototxt`, sha256: 'ab' }] });
const target = { base: 'default', importedBy: 'import-caffe --age a b --name mine' };

describe('profiles made by imports', () => {
  it('fill only the roles imported and keep the rest, so two imports make one classic profile', async () => {
    const store = tempStore();
    const first = await saveImport(store, 'classic', [model('detector', 'opencv-res10-ssd')], target);
    assert.deepEqual(first.detectors, ['classic-detector']);
    assert.equal(first.landmarks, undefined, 'no landmark model with an imported detector, as in the classic app');
    assert.deepEqual(first.attributes, BUILT_IN_PROFILES.default!.attributes);

    const second = await saveImport(store, 'classic', [model('age', 'levi-hassner-age'), model('gender', 'levi-hassner-gender')], target);
    assert.deepEqual(second.detectors, ['classic-detector'], 'the second import kept the first one\'s detector');
    assert.deepEqual(second.attributes, { age: { models: ['classic-age'], combine: 'alone' }, gender: { models: ['classic-gender'], combine: 'alone' } });
    assert.deepEqual((await Catalogue.open(store)).profile('classic'), second);
  });

  it('record kinds and sources; a changed file names the command that imports it again', async () => {
    const store = tempStore();
    await saveImport(store, 'mine', [model('age', 'levi-hassner-age')], target);
    const manifest = JSON.parse(readFileSync(path.join(store.dir, 'manifest.json'), 'utf8'));
    assert.equal(manifest.imported['mine-age'].kind, 'levi-hassner-age');
    assert.equal(manifest.imported['mine-age'].importedBy, target.importedBy);
    const stored = await verifyImported(store, 'mine-age');
    writeFileSync(stored.path, 'changed');
    await assert.rejects(verifyImported(store, 'mine-age'), (error: Error & { code?: string }) => error.code === 'MODEL_UNAVAILABLE' && /does not match its sha256.*import-caffe --age a b --name mine/.test(error.message));
  });

  it('resolve to files with their kinds, and who answers each attribute', async () => {
    const store = tempStore();
    await saveImport(store, 'mine', [model('age', 'levi-hassner-age')], target);
    const resolved = await resolveStoredProfile('mine', store.dir);
    assert.deepEqual(resolved.attributeModels.map((m) => [m.id, m.kind]), [['mine-age', 'levi-hassner-age'], ['faceapi-age-gender', 'faceapi-age-gender']]);
    assert.deepEqual(resolved.answers.age, { models: ['mine-age'], combine: 'alone' }, 'the imported model answers age alone, not averaged with face-api');
    assert.deepEqual(resolved.answers.gender, { models: ['faceapi-age-gender'], combine: 'alone' });
    assert.deepEqual(resolved.detectors.map((d) => d.kind), ['faceapi-ssd-mobilenetv1', 'blazeface-back']);
    await assert.rejects(resolveStoredProfile('other', store.dir), /Unknown model profile "other". Should be one of: default, fast, accurate, mine/);
  });
});

describe('saved profiles', () => {
  it('read the shape stores were written in before the catalogue (first provider answers alone)', () => {
    const store = tempStore();
    const manifest = {
      version: 1 as const,
      models: {},
      imported: { 'old-age': { file: 'old-age.onnx', sha256: 'x', kind: 'levi-hassner-age', sources: [], converterVersion: 1, convertedAt: '' } },
      profiles: { old: { detector: 'faceapi-ssd-mobilenetv1', landmarks: 'faceapi-landmarks-68', attributes: ['old-age', 'faceapi-age-gender'] } },
    };
    assert.deepEqual(Catalogue.of(store, manifest).profile('old'), {
      detectors: ['faceapi-ssd-mobilenetv1'],
      landmarks: 'faceapi-landmarks-68',
      attributes: { age: { models: ['old-age'], combine: 'alone' }, gender: { models: ['faceapi-age-gender'], combine: 'alone' } },
    });
  });

  it('are edited part by part and checked against the models before they are written', async () => {
    const store = tempStore();
    const chain = await setProfile(store, 'crowd', { detectors: ['faceapi-ssd-mobilenetv1', 'faceapi-tiny-face-detector'] });
    assert.deepEqual(chain.detectors, ['faceapi-ssd-mobilenetv1', 'faceapi-tiny-face-detector']);
    assert.equal(chain.landmarks, 'faceapi-landmarks-68', 'a new profile starts from default');
    const ensemble = await setProfile(store, 'crowd', { attributes: { age: { models: ['faceapi-age-gender', 'faceapi-age-gender-calibrated'], combine: 'mean' } }, landmarks: null });
    assert.deepEqual(ensemble.detectors, chain.detectors, 'parts not given stay');
    assert.equal(ensemble.landmarks, undefined);
    assert.deepEqual((await Catalogue.open(store)).profile('crowd').attributes.age?.models, ['faceapi-age-gender', 'faceapi-age-gender-calibrated']);

    await assert.rejects(setProfile(store, 'crowd', { attributes: { age: { models: ['faceapi-age-gender', 'faceapi-age-gender-calibrated'], combine: 'alone' } } }), /an ensemble needs combine "mean"/);
    await assert.rejects(setProfile(store, 'crowd', { detectors: ['faceapi-age-gender'] }), /is a attributes model .* not a detector model/);
    await assert.rejects(setProfile(store, 'crowd', { detectors: ['yunet-mine'] }), (error: Error & { code?: string }) => error.code === 'MODEL_UNAVAILABLE' && /no such model/.test(error.message));
    await assert.rejects(setProfile(store, 'crowd', { options: { 'faceapi-age-gender': { speed: 'max' } } }), /has no option "speed"/);
    assert.deepEqual((await Catalogue.open(store)).profile('crowd'), ensemble, 'a refused change leaves the profile as it was');
  });

  it('are removed by name; built-in ones cannot be, and imported models no profile uses are named', async () => {
    const store = tempStore();
    await saveImport(store, 'mine', [model('age', 'levi-hassner-age')], target);
    assert.deepEqual(await removeProfile(store, 'mine'), ['mine-age']);
    assert.equal((await Catalogue.open(store)).profileNames().includes('mine'), false);
    await assert.rejects(removeProfile(store, 'default'), /built-in profiles cannot be removed/);
    await assert.rejects(removeProfile(store, 'mine'), /no saved profile "mine"/);
  });

  it('names are kebab-case and not a built-in profile', () => {
    assert.equal(checkProfileName('opencv-classic'), 'opencv-classic');
    assert.throws(() => checkProfileName('Bad Name'), /kebab-case/);
    assert.throws(() => checkProfileName('default'), /other than the built-in profiles/);
  });
});

describe('imported models whose spec says what they answer', () => {
  const spec = (crop: 'box' | 'landmarks', answers: ('age' | 'gender')[]) => ({
    input: { size: [64, 64], channels: 'rgb', mean: [0, 0, 0], scale: [1, 1, 1], layout: 'nchw', name: 'data', batch: null },
    crop: { method: crop, margin: 1, square: true },
    ...(answers.includes('gender') ? { gender: { output: 'out', from: 0, type: 'classes', labels: ['female', 'male'], activation: 'softmax' } } : {}),
    ...(answers.includes('age') ? { age: { output: 'out', from: 2, type: 'years', scale: 100, offset: 0 } } : {}),
  });
  const classifier = (slot: string, s: ReturnType<typeof spec>) => ({ ...model(slot, 'classifier'), spec: s });

  it('answer only what their spec reads, and their spec reaches the runner', async () => {
    const store = tempStore();
    const profile = await saveImport(store, 'mine', [classifier('gender', spec('box', ['gender']))], target);
    assert.deepEqual(profile.attributes.gender, { models: ['mine-gender'], combine: 'alone' });
    assert.deepEqual(profile.attributes.age, BUILT_IN_PROFILES.default!.attributes.age, 'age stays with the base profile');
    const catalogue = await Catalogue.open(store);
    assert.deepEqual(catalogue.provides('mine-gender'), ['gender']);
    await assert.rejects(setProfile(store, 'mine', { attributes: { age: { models: ['mine-gender'], combine: 'alone' } } }), /"mine-gender" \(classifier\) does not predict age/);
    const resolved = await resolveStoredProfile('mine', store.dir);
    assert.deepEqual(resolved.attributeModels.find((m) => m.id === 'mine-gender')?.spec, spec('box', ['gender']));
  });

  it('that crop by landmarks need a landmark model or detectors that all find landmarks', async () => {
    const store = tempStore();
    await saveImport(store, 'aligned', [classifier('age-gender', spec('landmarks', ['age', 'gender']))], target);
    await assert.rejects(
      setProfile(store, 'aligned', { landmarks: null }),
      /"aligned-age-gender" crops faces by their five landmarks, but the profile has no landmark model and its detectors faceapi-ssd-mobilenetv1, human-blazeface-back find none. Possible fixes: `faceread profiles set aligned --landmarks faceapi-landmarks-68`/,
    );
    // YuNet gives five landmarks with each face: its import drops the landmark model, and the profile stays valid.
    const withYunet = await saveImport(store, 'aligned', [model('detector', 'yunet')], target);
    assert.equal(withYunet.landmarks, undefined);
    await assert.rejects(setProfile(store, 'aligned', { detectors: ['aligned-detector', 'faceapi-tiny-face-detector'] }), /its detector faceapi-tiny-face-detector finds none/);
    // SCRFD gives them only from a file with keypoints (its stored spec says which).
    const scrfd = (keypoints: string[] | null) => ({ ...model('detector', 'scrfd'), spec: { inputName: 'input.1', scores: [], boxes: [], keypoints, inputSize: null } });
    await assert.rejects(saveImport(store, 'aligned', [scrfd(null)], target), /its detector aligned-detector finds none/);
    assert.deepEqual((await saveImport(store, 'aligned', [scrfd(['kps_8', 'kps_16', 'kps_32'])], target)).detectors, ['aligned-detector']);
    // A box crop needs no landmarks anywhere.
    await saveImport(store, 'boxed', [classifier('age', spec('box', ['age']))], target);
    assert.ok(await setProfile(store, 'boxed', { landmarks: null }));
  });

  it('with a broken stored spec are reported with the command that imports them again', () => {
    const store = tempStore();
    const manifest = {
      version: 1 as const,
      models: {},
      imported: { 'x-age': { file: 'x.onnx', sha256: 'x', kind: 'classifier', sources: [], converterVersion: 1, convertedAt: '', importedBy: 'import-onnx --kind classifier --spec s.json m.onnx --name x', spec: { input: {} } } },
      profiles: { x: { detectors: ['faceapi-ssd-mobilenetv1'], attributes: { age: { models: ['x-age'], combine: 'alone' as const } } } },
    };
    assert.throws(() => Catalogue.of(store, manifest).profile('x'), /The stored spec of model x-age is broken: Expected gender, age or both .*Import it again: `faceread models import-onnx --kind classifier/);
  });
});
