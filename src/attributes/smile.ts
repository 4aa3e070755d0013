/**
 * `smile`: smiling or not, with the probability of that answer, from the
 * expression network's `happy` probability and the mouth's shape in the 68
 * landmarks (its width over the eyes' distance and its corners raised,
 * landmark-ratios.ts `smileShape`). Asking for it runs the expression model
 * (its field joins the face only when asked for too). Needs a 68-point
 * landmark model and an expression model (every built-in profile).
 *
 * One logistic regression, fitted with both classes weighted equally on 102
 * faces of ../shared labelled by eye (test/fixtures/eyes-mouth-labels.ts):
 * 5-fold cross-validated balanced accuracy 91% (`happy` >= 0.5 alone: 90%).
 */
import type { ExpressionResult } from './expression.js';
import type { AttributeDefinition } from './attribute-definition.js';
import { smileShape } from './landmark-ratios.js';
import type { Point } from '../types.js';

export interface SmileResult {
  smiling: boolean;
  /** Probability of the answer in `smiling` (0.5-1). */
  probability: number;
}

/** Weights of the fitted regression: happy's log-odds (clamped to ±9.2), the width, the lift, the intercept. */
export const SMILE_WEIGHTS = { happyLogit: 0.314, width: 5.01, lift: 3.94, intercept: -4.57 } as const;

const round = (value: number) => Math.round(value * 1e4) / 1e4;
const logit = (p: number) => {
  const q = Math.min(1 - 1e-4, Math.max(1e-4, p));
  return Math.log(q / (1 - q));
};

/**
 * The probability that a face smiles.
 *
 * @example smileProbability(0.98, points68) // 0.97
 */
export function smileProbability(happy: number, points68: readonly Point[]): number {
  const { width, lift } = smileShape(points68);
  const w = SMILE_WEIGHTS;
  return 1 / (1 + Math.exp(-(w.happyLogit * logit(happy) + w.width * width + w.lift * lift + w.intercept)));
}

export const smile: AttributeDefinition<'smile', SmileResult> = {
  name: 'smile',
  description: 'smiling or not, with the probability of that answer, from the expression network and the mouth\'s shape',
  byDefault: false,
  source: {
    kind: 'computed',
    needs: 'landmarks68',
    uses: ['expression'],
    compute(face) {
      const expression = face.answered?.expression as ExpressionResult | undefined;
      if (!face.points68 || !expression) return undefined;
      const p = smileProbability(expression.probabilities.happy, face.points68);
      return { smiling: p >= 0.5, probability: p >= 0.5 ? p : 1 - p };
    },
  },
  schema: {
    type: 'object',
    properties: { smiling: { type: 'boolean' }, probability: { type: 'number', description: 'probability of the answer in `smiling`' } },
  },
  toResult: (value) => ({ smiling: value.smiling, probability: round(value.probability) }),
  csv: { columns: ['smiling', 'smile_probability'], cells: (value) => (value ? [String(value.smiling), String(value.probability)] : ['', '']) },
  table: (value) => (value ? `${value.smiling ? 'smiling' : 'no smile'} ${(value.probability * 100).toFixed(0).padStart(3)}%` : '-').padEnd(13),
  overlay: (value) => `${value.smiling ? 'smiling' : 'no smile'} ${Math.round(value.probability * 100)}%`,
  overlayOrder: 8,
  label: { en: 'smile', 'zh-CN': '微笑' },
  page: {
    lines: { en: ['{smiling|term}, {probability|%}%'], 'zh-CN': ['{smiling|term}，{probability|%}%'] },
    terms: { en: { true: 'smiling', false: 'not smiling' }, 'zh-CN': { true: '在微笑', false: '没有微笑' } },
  },
};
