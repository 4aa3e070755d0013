import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { aafPerson, parseLandmarks, readAllAgeFaces, readUtkFace, utkLabelsFromName } from '../../../../src/eval/datasets/attribute-datasets.js';
import { parseLabelsCsv } from '../../../../src/eval/datasets/labels-csv.js';
import { parseDatasetSpec } from '../../../../src/eval/datasets/open-dataset.js';
import { parseWiderGroundTruth } from '../../../../src/eval/datasets/wider-face.js';

test('labels CSV: quoted fields, header case, missing columns named', () => {
  const rows = parseLabelsCsv('File,Age,gender\n"a, b.jpg",31,female\n\nc.jpg,2,male\n', ['file', 'age']);
  assert.deepEqual(rows, [{ file: 'a, b.jpg', age: '31', gender: 'female' }, { file: 'c.jpg', age: '2', gender: 'male' }]);
  assert.throws(() => parseLabelsCsv('file,sex\n', ['file', 'age']), /lacks the column\(s\) age/);
});

test('UTKFace names carry age and gender (1 = female)', () => {
  assert.deepEqual(utkLabelsFromName('26_1_2_20170116174525125.jpg.chip.jpg'), { age: 26, gender: 'female' });
  assert.deepEqual(utkLabelsFromName('3_0_0_x.jpg'), { age: 3, gender: 'male' });
  assert.equal(utkLabelsFromName('holiday.jpg'), undefined);
});

test('UTKFace folder: labels.csv wins, else names', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'utk-'));
  await mkdir(path.join(root, 'images'));
  await writeFile(path.join(root, 'images', '40_0_1_x.jpg'), '');
  await writeFile(path.join(root, 'images', 'notes.txt'), '');
  const fromNames = await readUtkFace(root);
  assert.deepEqual(fromNames.map((s) => [s.name, s.age, s.gender, s.file]), [['40_0_1_x.jpg', 40, 'male', path.join(root, 'images', '40_0_1_x.jpg')]]);
  await writeFile(path.join(root, 'labels.csv'), 'file,age,gender,race\n40_0_1_x.jpg,41,female,black\n');
  const fromCsv = await readUtkFace(root);
  assert.deepEqual(fromCsv.map((s) => [s.age, s.gender]), [[41, 'female']]);
});

test('All-Age-Faces: person from the name, landmarks when present, bad labels refused', async () => {
  assert.equal(aafPerson('00123A45.jpg'), '00123');
  assert.equal(aafPerson('me.jpg'), 'me.jpg');
  assert.deepEqual(parseLandmarks('1.5 2\n\n3 4.25\n'), [[1.5, 2], [3, 4.25]]);
  const root = await mkdtemp(path.join(os.tmpdir(), 'aaf-'));
  await mkdir(path.join(root, 'landmarks'));
  await writeFile(path.join(root, 'landmarks', '00007A30.txt'), '10 20\n30 40\n');
  await writeFile(path.join(root, 'labels.csv'), 'file,age,gender\n00007A30.jpg,30,male\n00008A02.jpg,2,female\n');
  const samples = await readAllAgeFaces(root);
  assert.equal(samples.length, 2);
  assert.deepEqual(samples[0]!.landmarks, [[10, 20], [30, 40]]);
  assert.equal(samples[0]!.splitKey, '00007');
  assert.equal(samples[1]!.landmarks, undefined);
  await writeFile(path.join(root, 'labels.csv'), 'file,age,gender\n00007A30.jpg,thirty,male\n');
  await assert.rejects(readAllAgeFaces(root), /Bad age "thirty" for 00007A30.jpg/);
});

test('WIDER gt.txt: counts, the zero line of empty photos, ignored small and invalid faces', () => {
  const text = ['a.jpg', '3', '10 10 40 40 0 0 0 0 0 0', '5 5 8 8 0 0 0 0 0 0', '50 50 30 30 0 0 0 1 0 0', 'b.jpg', '0', '0 0 0 0 0 0 0 0 0 0', 'c.jpg', '1', '1 2 20 16 2 0 0 0 0 0'].join('\n');
  const photos = parseWiderGroundTruth(text, 16);
  assert.deepEqual(photos.map((p) => [p.name, p.faces.map((f) => f.ignore)]), [['a.jpg', [false, true, true]], ['b.jpg', []], ['c.jpg', [false]]]);
  assert.deepEqual(photos[2]!.faces[0]!.box, { x: 1, y: 2, width: 20, height: 16 });
  assert.throws(() => parseWiderGroundTruth('a.jpg\nmany\n', 16), /expected a face count after a.jpg/);
});

test('dataset spec: kind and path, unknown kinds named', () => {
  assert.deepEqual(parseDatasetSpec('wider:C:/data/wider'), { kind: 'wider', root: 'C:/data/wider' });
  assert.throws(() => parseDatasetSpec('imdb:/data'), /kind one of: utkface, aaf, wider/);
  assert.throws(() => parseDatasetSpec('aaf:'), /Expected --dataset/);
});
