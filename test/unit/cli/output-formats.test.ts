import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOutputWriter, formatForFile, type FileOutcome } from '../../../src/cli/output-formats.js';
import type { AnalysisResult } from '../../../src/types.js';

const result: AnalysisResult = {
  image: { width: 640, height: 480 },
  faces: [{ box: { x: 10, y: 20, width: 100, height: 120 }, score: 0.97, gender: { label: 'female', probability: 0.91 }, age: { years: 27.4, bucket: '25-32' } }],
  timingsMs: { decode: 5, detect: 20, attributes: 4, total: 29 },
  models: { detector: 'd', age: 'a', gender: 'a' },
};
const gapAges: AnalysisResult = {
  ...result,
  faces: [
    { ...result.faces[0]!, age: { years: 23.1, bucket: '25-32' } },
    { ...result.faces[0]!, age: { years: 39.4, bucket: '38-43', range: [33.2, 46.8] } },
  ],
};
const outcomes: FileOutcome[] = [
  { file: 'a.jpg', result },
  { file: 'b, "odd".jpg', error: { code: 'IMAGE_UNDECODABLE', message: 'truncated' } },
  { file: 'empty.jpg', result: { ...result, faces: [] } },
  { file: 'gap.jpg', result: gapAges },
];
const render = (format: Parameters<typeof createOutputWriter>[0]) => {
  const w = createOutputWriter(format);
  return w.begin() + outcomes.map((o) => w.line(o)).join('') + w.end();
};

test('ndjson: one flat object per file, results spread beside the file name', () => {
  const lines = render('ndjson').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines[0], { file: 'a.jpg', ...result });
  assert.deepEqual(lines[1], { file: 'b, "odd".jpg', error: { code: 'IMAGE_UNDECODABLE', message: 'truncated' } });
});

test('json: a valid array, also when empty', () => {
  assert.equal(JSON.parse(render('json')).length, 4);
  const w = createOutputWriter('json');
  assert.deepEqual(JSON.parse(w.begin() + w.end()), []);
});

test('csv: a header, a row per face, a quoted error row and a row for a photo without faces', () => {
  const rows = render('csv').trim().split('\n');
  assert.equal(rows[0], 'file,faces,face,x,y,width,height,score,gender,gender_probability,age,age_low,age_high,age_bucket,age_bucket_nearest,error');
  assert.equal(rows[1], 'a.jpg,1,0,10,20,100,120,0.97,female,0.91,27.4,,,25-32,false,');
  assert.equal(rows[2], '"b, ""odd"".jpg",,,,,,,,,,,,,,,IMAGE_UNDECODABLE: truncated');
  assert.equal(rows[3], 'empty.jpg,0,,,,,,,,,,,,,,');
  // Every row has the header's number of cells.
  for (const row of rows.slice(1)) assert.equal(row.replace(/"[^"]*"/g, '').split(',').length, 16, row);
});

test('csv: an age outside its bucket is flagged as the nearest bucket; a calibrated range has its columns', () => {
  const rows = render('csv').trim().split('\n');
  assert.match(rows[4]!, /,23\.1,,,25-32,true,$/);
  assert.match(rows[5]!, /,39\.4,33\.2,46\.8,38-43,false,$/);
});

test('table: readable lines with gender, age and the error', () => {
  const text = render('table');
  assert.match(text, /a\.jpg {2}640x480 {2}1 face\(s\)/);
  assert.match(text, /#1 {2}female {2}91% {2} 27 y \(25-32\)/);
  assert.match(text, /error IMAGE_UNDECODABLE: truncated/);
  assert.match(text, /empty\.jpg {2}640x480 {2}0 face\(s\)/);
  // Years and bucket never contradict each other: 23 is shown beside 25-32 only as its nearest bucket.
  assert.match(text, / 23 y \(nearest 25-32\)/);
  assert.match(text, / 39 y, 33-47 \(38-43\)/);
});

test('--output names its format by extension', () => {
  assert.deepEqual(['faces.csv', 'out/a.JSON', 'x.ndjson', 'x.jsonl', 'x.txt', 'x.dat', 'folder.csv/x'].map(formatForFile), ['csv', 'json', 'ndjson', 'ndjson', 'table', undefined, undefined]);
});
