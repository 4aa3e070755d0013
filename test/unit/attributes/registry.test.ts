import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ATTRIBUTE_DEFINITIONS, ATTRIBUTE_NAMES, attributesToRun, DEFAULT_ATTRIBUTES, MODEL_ATTRIBUTES } from '../../../src/attributes/registry.js';
import { csvColumns } from '../../../src/cli/output-formats.js';
import { resolveAnalyzeOptions } from '../../../src/pipeline/analyze-options.js';
import { analysisResultSchema } from '../../../src/server/schemas/analysis-result.js';
import { analyzeQuerySchema } from '../../../src/server/schemas/analyze-query.js';
import { describeAttributes } from '../../../src/server/routes/attributes.js';

test('the default stays age and gender, and every name is unique', () => {
  assert.deepEqual(DEFAULT_ATTRIBUTES, ['age', 'gender']);
  assert.equal(new Set(ATTRIBUTE_NAMES).size, ATTRIBUTE_DEFINITIONS.length);
  assert.deepEqual(MODEL_ATTRIBUTES.slice(0, 2), ['gender', 'age']);
});

test('the options accept every registered name and name them all when refusing one', () => {
  assert.deepEqual(resolveAnalyzeOptions({ attributes: [...ATTRIBUTE_NAMES] }).attributes, ATTRIBUTE_NAMES);
  assert.throws(() => resolveAnalyzeOptions({ attributes: ['age', 'hair' as never] }), (error: Error) => {
    assert.match(error.message, new RegExp(`Expected a list of: ${ATTRIBUTE_NAMES.join(', ')} for attributes but received 'age,hair'`));
    return true;
  });
});

test('the query schema takes every name, any subset, and refuses unknown ones', () => {
  const pattern = new RegExp(analyzeQuerySchema.properties.attributes.pattern);
  const validate = (query: { attributes: string }) => pattern.test(query.attributes);
  for (const name of ATTRIBUTE_NAMES) assert.ok(validate({ attributes: name }), name);
  assert.ok(validate({ attributes: ATTRIBUTE_NAMES.join(',') }));
  assert.ok(validate({ attributes: '' }));
  assert.ok(!validate({ attributes: 'age,hair' }));
  for (const name of ATTRIBUTE_NAMES) assert.match(analyzeQuerySchema.properties.attributes.description, new RegExp(`\`${name}\``));
});

test('the result schema has one face field per attribute, in the registry order (gender before age, as always serialised)', () => {
  const faceFields = Object.keys(analysisResultSchema.properties.faces.items.properties);
  assert.deepEqual(faceFields, ['box', 'score', 'landmarks', ...ATTRIBUTE_DEFINITIONS.map((d) => d.name)]);
  assert.deepEqual(faceFields.slice(3, 5), ['gender', 'age']);
  assert.deepEqual(Object.keys(analysisResultSchema.properties.models.properties).filter((k) => k === 'age' || k === 'gender'), ['age', 'gender']);
});

test('CSV: the default header is the one FaceRead always wrote; other attributes add columns only when asked for', () => {
  const today = 'file,faces,face,x,y,width,height,score,gender,gender_probability,age,age_low,age_high,age_bucket,age_bucket_nearest,error';
  assert.equal(csvColumns().join(','), today);
  assert.equal(csvColumns(['gender']).join(','), today);
  for (const d of ATTRIBUTE_DEFINITIONS.filter((d) => !d.csv.always)) {
    const columns = csvColumns([d.name]);
    assert.deepEqual(columns.slice(-1 - d.csv.columns.length, -1), [...d.csv.columns]);
  }
});

test('GET /api/attributes lists every attribute with both page languages', () => {
  const answer = describeAttributes();
  assert.deepEqual(answer.default, ['age', 'gender']);
  assert.deepEqual(answer.attributes.map((a) => a.name), ATTRIBUTE_DEFINITIONS.map((d) => d.name));
  for (const a of answer.attributes) {
    assert.ok(a.label.en && a.label['zh-CN'], a.name);
    if (!('builtIn' in a.page)) assert.equal(a.page.lines.en.length, a.page.lines['zh-CN'].length, a.name);
  }
});

test('what runs: the attributes asked for plus the model attributes they use, in registry order', () => {
  assert.deepEqual(attributesToRun(DEFAULT_ATTRIBUTES), ['gender', 'age']);
  assert.deepEqual(attributesToRun(['smile']), ['expression', 'smile']);
  assert.deepEqual(attributesToRun(['smile', 'expression', 'eyes']), ['expression', 'eyes', 'smile']);
  for (const d of ATTRIBUTE_DEFINITIONS) {
    const uses = d.source.kind === 'computed' ? (d.source.uses ?? []) : [];
    for (const used of uses) assert.ok((MODEL_ATTRIBUTES as readonly string[]).includes(used), `${d.name} uses ${used}, which no model answers`);
  }
});
