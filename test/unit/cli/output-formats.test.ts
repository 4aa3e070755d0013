import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOutputWriter, type FileOutcome } from '../../../src/cli/output-formats.js';
import type { AnalysisResult } from '../../../src/types.js';

const result: AnalysisResult = {
  image: { width: 640, height: 480 },
  faces: [{ box: { x: 10, y: 20, width: 100, height: 120 }, score: 0.97, gender: { label: 'female', probability: 0.91 }, age: { years: 27.4, bucket: '25-32' } }],
  timingsMs: { decode: 5, detect: 20, attributes: 4, total: 29 },
  models: { detector: 'd', age: 'a', gender: 'a' },
};
const outcomes: FileOutcome[] = [
  { file: 'a.jpg', result },
  { file: 'b, "odd".jpg', error: { code: 'IMAGE_UNDECODABLE', message: 'truncated' } },
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
  assert.equal(JSON.parse(render('json')).length, 2);
  const w = createOutputWriter('json');
  assert.deepEqual(JSON.parse(w.begin() + w.end()), []);
});

test('csv: a header, a row per face and a quoted error row', () => {
  const rows = render('csv').trim().split('\n');
  assert.equal(rows[0], 'file,face,x,y,width,height,score,gender,gender_probability,age,age_bucket,error');
  assert.equal(rows[1], 'a.jpg,0,10,20,100,120,0.97,female,0.91,27.4,25-32,');
  assert.equal(rows[2], '"b, ""odd"".jpg",,,,,,,,,,,IMAGE_UNDECODABLE: truncated');
});

test('table: readable lines with gender, age and the error', () => {
  const text = render('table');
  assert.match(text, /a\.jpg {2}640x480 {2}1 face\(s\)/);
  assert.match(text, /#1 {2}female {2}91% {2} 27 y \(25-32\)/);
  assert.match(text, /error IMAGE_UNDECODABLE: truncated/);
});
