/**
 * How `faceread analyze` writes one line per file: NDJSON (pipes), a JSON
 * array, CSV (one row per face, one row for a photo without faces), or a
 * readable table on a terminal.
 */
import path from 'node:path';
import type { AttributeDefinition } from '../attributes/attribute-definition.js';
import { ATTRIBUTE_DEFINITIONS, findAttribute } from '../attributes/registry.js';
import type { AnalysisResult, Attribute, FaceResult } from '../types.js';

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

/** The attributes with columns: those always shown (age, gender) and those asked for, in the registry's order. */
function shownAttributes(selected: readonly Attribute[]): AttributeDefinition<Attribute>[] {
  return ATTRIBUTE_DEFINITIONS.filter((d) => d.csv.always || selected.includes(d.name)).map((d) => findAttribute(d.name));
}

/** Reads one attribute's value off a face (the registry's name is its field). */
const valueOf = (face: FaceResult, name: Attribute): unknown => face[name];

// `faces` is the photo's face count, so a photo without faces still has its row (faces 0, face empty).
const BOX_COLUMNS = ['file', 'faces', 'face', 'x', 'y', 'width', 'height', 'score'];

/** The CSV header: the face's place and box, each shown attribute's columns (src/attributes/), then `error`. */
export function csvColumns(selected: readonly Attribute[] = []): string[] {
  return [...BOX_COLUMNS, ...shownAttributes(selected).flatMap((d) => d.csv.columns), 'error'];
}

function csvCell(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvRows(outcome: FileOutcome, attributes: readonly AttributeDefinition<Attribute>[]): string[][] {
  const emptyFace = [...BOX_COLUMNS.slice(2), ...attributes.flatMap((d) => d.csv.columns)].map(() => '');
  if ('error' in outcome) return [[outcome.file, '', ...emptyFace, `${outcome.error.code}: ${outcome.error.message}`]];
  const { faces } = outcome.result;
  if (faces.length === 0) return [[outcome.file, '0', ...emptyFace, '']];
  return faces.map((f, i) => [
    outcome.file, String(faces.length), String(i), String(f.box.x), String(f.box.y), String(f.box.width), String(f.box.height), String(f.score),
    ...attributes.flatMap((d) => d.csv.cells(valueOf(f, d.name))), '',
  ]);
}

function tableLine(outcome: FileOutcome, attributes: readonly AttributeDefinition<Attribute>[]): string {
  if ('error' in outcome) return `${outcome.file}\n  error ${outcome.error.code}: ${outcome.error.message}\n`;
  const { result } = outcome;
  const head = `${outcome.file}  ${result.image.width}x${result.image.height}  ${result.faces.length} face(s)  ${result.timingsMs.total.toFixed(0)} ms\n`;
  const faces = result.faces.map((f, i) => {
    const cells = attributes.map((d) => `${d.table(valueOf(f, d.name))}  `).join('');
    const box = `${Math.round(f.box.x)},${Math.round(f.box.y)} ${Math.round(f.box.width)}x${Math.round(f.box.height)}`;
    return `  #${i + 1}  ${cells}box ${box}  score ${f.score.toFixed(2)}\n`;
  });
  return head + faces.join('');
}

/** `{"file": ..., ...result}` or `{"file": ..., "error": {...}}`: one object per file. */
export function flatOutcome(outcome: FileOutcome): object {
  return 'error' in outcome ? outcome : { file: outcome.file, ...outcome.result };
}

/**
 * The writer for `format`; each method returns text for stdout. The CSV and the table have columns
 * for age and gender, and for each other attribute in `selected` (the `--attributes` asked for).
 */
export function createOutputWriter(format: OutputFormat, selected: readonly Attribute[] = []): OutputWriter {
  const attributes = shownAttributes(selected);
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
      return { begin: () => `${csvColumns(selected).join(',')}\n`, line: (o) => csvRows(o, attributes).map((r) => `${r.map(csvCell).join(',')}\n`).join(''), end: () => '' };
    case 'table':
      return { begin: () => '', line: (o) => tableLine(o, attributes), end: () => '' };
  }
}
