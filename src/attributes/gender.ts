/**
 * `gender`: female or male with the probability of that label, from the
 * profile's gender model(s) (several: the mean probability of "male").
 */
import { combineGender } from '../pipeline/attributes/combine-predictions.js';
import type { GenderResult } from '../types.js';
import type { AttributeDefinition } from './attribute-definition.js';

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

export const gender: AttributeDefinition<'gender', GenderResult> = {
  name: 'gender',
  description: 'female or male, with the probability of that label',
  byDefault: true,
  source: { kind: 'models', combine: combineGender },
  schema: {
    type: 'object',
    properties: { label: { type: 'string', enum: ['female', 'male'] }, probability: { type: 'number' } },
  },
  toResult: (value) => ({ label: value.label, probability: round(value.probability, 4) }),
  csv: { columns: ['gender', 'gender_probability'], always: true, cells: (value) => [value?.label ?? '', value ? String(value.probability) : ''] },
  table: (value) => (value ? `${value.label.padEnd(6)} ${(value.probability * 100).toFixed(0).padStart(3)}%` : '-'),
  overlay: (value) => `${value.label} ${Math.round(value.probability * 100)}%`,
  overlayOrder: 1,
  label: { en: 'gender', 'zh-CN': '性别' },
  page: { builtIn: true },
};
