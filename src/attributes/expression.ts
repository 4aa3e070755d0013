/**
 * `expression`: the seven expressions of face-api's expression network
 * (neutral, happy, sad, angry, fearful, disgusted, surprised) with their
 * probabilities, and the most likely one. The built-in `faceapi-expression`
 * answers it unless the profile names another model.
 */
import { EXPRESSION_LABELS, type ExpressionLabel } from '../pipeline/attributes/faceapi-expression-layout.js';
import type { AttributeDefinition } from './attribute-definition.js';

export interface ExpressionResult {
  label: ExpressionLabel;
  probability: number;
  probabilities: Record<ExpressionLabel, number>;
}

const round = (value: number) => Math.round(value * 1e4) / 1e4;
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

const ZH: Record<ExpressionLabel, string> = { neutral: '平静', happy: '高兴', sad: '悲伤', angry: '生气', fearful: '恐惧', disgusted: '厌恶', surprised: '惊讶' };

/** The most likely expression and every probability. */
export function expressionOf(probabilities: Record<ExpressionLabel, number>): ExpressionResult {
  const label = EXPRESSION_LABELS.reduce((best, next) => (probabilities[next] > probabilities[best] ? next : best));
  return { label, probability: probabilities[label], probabilities };
}

export const expression: AttributeDefinition<'expression', ExpressionResult> = {
  name: 'expression',
  description: `facial expression: the most likely of ${EXPRESSION_LABELS.join(', ')}, with every probability`,
  byDefault: false,
  source: {
    kind: 'models',
    defaultModel: 'faceapi-expression',
    // Several models: the mean of each probability.
    combine(predictions) {
      const given = predictions.flatMap((p) => (p?.expression ? [p.expression] : []));
      if (given.length <= 1) return given[0];
      return expressionOf(Object.fromEntries(EXPRESSION_LABELS.map((l) => [l, mean(given.map((g) => g.probabilities[l]))])) as Record<ExpressionLabel, number>);
    },
  },
  schema: {
    type: 'object',
    properties: {
      label: { type: 'string', enum: [...EXPRESSION_LABELS] },
      probability: { type: 'number' },
      probabilities: { type: 'object', properties: Object.fromEntries(EXPRESSION_LABELS.map((l) => [l, { type: 'number' }])) },
    },
  },
  toResult: (value) => ({
    label: value.label,
    probability: round(value.probability),
    probabilities: Object.fromEntries(EXPRESSION_LABELS.map((l) => [l, round(value.probabilities[l])])) as Record<ExpressionLabel, number>,
  }),
  csv: { columns: ['expression', 'expression_probability'], cells: (value) => [value?.label ?? '', value ? String(value.probability) : ''] },
  table: (value) => (value ? `${value.label.padEnd(9)} ${(value.probability * 100).toFixed(0).padStart(3)}%` : '-'.padEnd(14)),
  overlay: (value) => `${value.label} ${Math.round(value.probability * 100)}%`,
  overlayOrder: 3,
  label: { en: 'expression', 'zh-CN': '表情' },
  page: {
    lines: { en: ['{label|term}, {probability|%}%'], 'zh-CN': ['表情：{label|term}，{probability|%}%'] },
    terms: { en: Object.fromEntries(EXPRESSION_LABELS.map((l) => [l, l])), 'zh-CN': ZH },
  },
};
