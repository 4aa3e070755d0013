/**
 * What `eyes` and `mouth` share: a landmark ratio (landmark-ratios.ts) read
 * as open or closed, with the probability of that answer (as `gender` gives
 * the probability of its label) and the ratio itself, for callers who want
 * their own threshold.
 */
import type { Point } from '../types.js';
import type { AttributeDefinition, Labels } from './attribute-definition.js';
import { openProbability, type RatioCurve } from './landmark-ratios.js';

export interface OpenState {
  open: boolean;
  /** Probability of the answer given in `open` (0.5-1). */
  probability: number;
  /** The normalised ratio the answer comes from (landmark-ratios.ts). */
  ratio: number;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The answer for one ratio. */
export function openState(ratio: number, curve: RatioCurve): OpenState {
  const p = openProbability(ratio, curve);
  return { open: p >= 0.5, probability: p >= 0.5 ? p : 1 - p, ratio };
}

/** The probability of "open" an answer stands for. */
export const probabilityOpen = (state: OpenState) => (state.open ? state.probability : 1 - state.probability);

interface OpenStateSpec<N extends string> {
  name: N;
  description: string;
  /** The ratio of one face's 68 points. */
  ratio(points68: readonly Point[]): number;
  curve: RatioCurve;
  /** CSV columns: `<prefix>_open`, `<prefix>_probability`, `<prefix>_ratio`. */
  columnPrefix: string;
  overlayOrder: number;
  label: Labels;
  /** The page's line: `{state}` stands for the open or closed word. */
  line: Labels;
  words: { en: { open: string; closed: string }; 'zh-CN': { open: string; closed: string } };
}

/** An attribute telling whether a part of the face is open, from a ratio of its 68 landmarks. */
export function openStateAttribute<N extends string>(spec: OpenStateSpec<N>): AttributeDefinition<N, OpenState> {
  const terms = (language: 'en' | 'zh-CN') => ({ true: spec.words[language].open, false: spec.words[language].closed });
  return {
    name: spec.name,
    description: spec.description,
    byDefault: false,
    source: {
      kind: 'computed',
      needs: 'landmarks68',
      compute: (face) => (face.points68 ? openState(spec.ratio(face.points68), spec.curve) : undefined),
    },
    schema: {
      type: 'object',
      properties: {
        open: { type: 'boolean' },
        probability: { type: 'number', description: 'probability of the answer in `open`' },
        ratio: { type: 'number' },
      },
    },
    toResult: (value) => ({ open: value.open, probability: round(value.probability, 4), ratio: round(value.ratio, 4) }),
    csv: {
      columns: [`${spec.columnPrefix}_open`, `${spec.columnPrefix}_probability`, `${spec.columnPrefix}_ratio`],
      cells: (value) => (value ? [String(value.open), String(value.probability), String(value.ratio)] : ['', '', '']),
    },
    table: (value) => (value ? `${spec.columnPrefix} ${(value.open ? 'open' : 'closed').padEnd(6)} ${(value.probability * 100).toFixed(0).padStart(3)}%` : '-').padEnd(spec.columnPrefix.length + 12),
    overlay: (value) => `${spec.columnPrefix} ${value.open ? 'open' : 'closed'} ${Math.round(value.probability * 100)}%`,
    overlayOrder: spec.overlayOrder,
    label: spec.label,
    page: {
      lines: { en: [spec.line.en.replace('{state}', '{open|term}')], 'zh-CN': [spec.line['zh-CN'].replace('{state}', '{open|term}')] },
      terms: { en: terms('en'), 'zh-CN': terms('zh-CN') },
    },
  };
}
