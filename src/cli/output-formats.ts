/**
 * How `faceread analyze` writes one line per file: NDJSON (pipes), a JSON
 * array, CSV (one row per face, one row for a photo without faces), or a
 * readable table on a terminal.
 */
import path from 'node:path';
import { ageShown, ageText } from '../pipeline/age-display.js';
import type { AnalysisResult } from '../types.js';

export const OUTPUT_FORMATS = ['ndjson', 'json', 'csv', 'table'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const FORMAT_BY_EXTENSION: Record<string, OutputFormat> = { '.csv': 'csv', '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.txt': 'table' };

/**
 * The format an `--output` file's name asks for, or undefined for an extension that names none.
 * @example formatForFile('faces.csv') // 'csv'
 */
export function formatForFile(file: string): OutputFormat | undefined {
  return FORMAT_BY_EXTENSION[path.extname(file).toLowerCase()];
}

/** The extensions `formatForFile` knows, for messages. */
export const OUTPUT_EXTENSIONS = Object.keys(FORMAT_BY_EXTENSION);

export type FileOutcome = { file: string; result: AnalysisResult } | { file: string; error: { code: string; message: string } };

export interface OutputWriter {
  begin(): string;
  line(outcome: FileOutcome): string;
  end(): string;
}

// `faces` is the photo's face count, so a photo without faces still has its row (faces 0, face empty).
// `age_bucket_nearest` is true when the age in whole years lies outside its bucket (see age-display.ts).
const CSV_COLUMNS = [
  'file', 'faces', 'face', 'x', 'y', 'width', 'height', 'score', 'gender', 'gender_probability',
  'age', 'age_low', 'age_high', 'age_bucket', 'age_bucket_nearest', 'error',
];
const EMPTY_FACE = CSV_COLUMNS.slice(2, -1).map(() => '');

function csvCell(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvRows(outcome: FileOutcome): string[][] {
  if ('error' in outcome) return [[outcome.file, '', ...EMPTY_FACE, `${outcome.error.code}: ${outcome.error.message}`]];
  const { faces } = outcome.result;
  if (faces.length === 0) return [[outcome.file, '0', ...EMPTY_FACE, '']];
  return faces.map((f, i) => [
    outcome.file, String(faces.length), String(i), String(f.box.x), String(f.box.y), String(f.box.width), String(f.box.height), String(f.score),
    f.gender?.label ?? '', f.gender ? String(f.gender.probability) : '',
    f.age ? String(f.age.years) : '', f.age?.range ? String(f.age.range[0]) : '', f.age?.range ? String(f.age.range[1]) : '',
    f.age?.bucket ?? '', f.age ? String(ageShown(f.age).nearest) : '', '',
  ]);
}

function tableLine(outcome: FileOutcome): string {
  if ('error' in outcome) return `${outcome.file}\n  error ${outcome.error.code}: ${outcome.error.message}\n`;
  const { result } = outcome;
  const head = `${outcome.file}  ${result.image.width}x${result.image.height}  ${result.faces.length} face(s)  ${result.timingsMs.total.toFixed(0)} ms\n`;
  const faces = result.faces.map((f, i) => {
    const gender = f.gender ? `${f.gender.label.padEnd(6)} ${(f.gender.probability * 100).toFixed(0).padStart(3)}%` : '-';
    // Years right-aligned, the whole age padded so the box column lines up.
    const age = (f.age ? ' '.repeat(Math.max(0, 3 - String(ageShown(f.age).years).length)) + ageText(f.age) : '-').padEnd(21);
    const box = `${Math.round(f.box.x)},${Math.round(f.box.y)} ${Math.round(f.box.width)}x${Math.round(f.box.height)}`;
    return `  #${i + 1}  ${gender}  ${age}  box ${box}  score ${f.score.toFixed(2)}\n`;
  });
  return head + faces.join('');
}

/** `{"file": ..., ...result}` or `{"file": ..., "error": {...}}`: one object per file. */
export function flatOutcome(outcome: FileOutcome): object {
  return 'error' in outcome ? outcome : { file: outcome.file, ...outcome.result };
}

/** The writer for `format`; each method returns text for stdout. */
export function createOutputWriter(format: OutputFormat): OutputWriter {
  switch (format) {
    case 'ndjson':
      return { begin: () => '', line: (o) => `${JSON.stringify(flatOutcome(o))}\n`, end: () => '' };
    case 'json': {
      let first = true;
      return {
        begin: () => '[\n',
        line: (o) => {
          const text = `${first ? '' : ',\n'}${JSON.stringify(flatOutcome(o))}`;
          first = false;
          return text;
        },
        end: () => (first ? ']\n' : '\n]\n'),
      };
    }
    case 'csv':
      return { begin: () => `${CSV_COLUMNS.join(',')}\n`, line: (o) => csvRows(o).map((r) => `${r.map(csvCell).join(',')}\n`).join(''), end: () => '' };
    case 'table':
      return { begin: () => '', line: tableLine, end: () => '' };
  }
}
