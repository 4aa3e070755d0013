/**
 * Imported models in the model store. They come from the user's files, not
 * from an npm package, so the manifest records for each one the source
 * paths and their sha256 (what was imported), the converted file and its
 * sha256 (what is loaded), and its kind (which runner drives it). An
 * imported model is never converted again behind the user's back: if its
 * file is missing or corrupted, the fix is to import again.
 *
 * @example
 *   const stored = await verifyImported(store, 'opencv-classic-age');
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { CONVERTER_VERSION, QUANTIZER_VERSION } from '../convert/converter-version.js';
import { FaceReadError } from '../errors.js';
import type { ModelSpec } from '../pipeline/runner-types.js';
import type { Precision } from './precision.js';
import { sha256, type ModelStore, type StoredModel } from './store.js';

export interface ImportedSource {
  path: string;
  sha256: string;
}

export interface ImportedEntry {
  file: string;
  sha256: string;
  kind: string;
  sources: ImportedSource[];
  converterVersion: number;
  convertedAt: string;
  /** The command that imported it, to say how to import it again. */
  importedBy?: string;
  /** The int8 version, when imported with `--int8` (ranges measured at import time). */
  int8?: { file: string; sha256: string; quantizerVersion: number };
  /** What its runner needs to know (e.g. an imported classifier's input and outputs), from the import. */
  spec?: ModelSpec;
}

/** A stored model plus the kind whose runner drives it. */
export interface StoredImportedModel extends StoredModel {
  kind: string;
}

/** One converted network of an import. */
export interface ImportedModelBytes {
  /** What it is inside its profile (`detector`, `age`, `gender`, `attributes`): its id is `<profile>-<slot>`. */
  slot: string;
  /** Its entry in src/models/kinds.ts. */
  kind: string;
  bytes: Uint8Array;
  sources: ImportedSource[];
  /** The int8 version's bytes, when one was made. */
  int8?: Uint8Array;
  /** A detector that joins the end of the profile's detector chain instead of replacing it. */
  fallback?: boolean;
  /** What its runner needs to know, stored in its manifest entry. */
  spec?: ModelSpec;
}

/** The id an imported model gets inside profile `name`. */
export const importedModelId = (name: string, slot: string): string => `${name}-${slot}`;

/** The files an import writes into the store, float32 and int8. */
export function importedFiles(name: string, models: readonly ImportedModelBytes[]): { file: string; bytes: Uint8Array }[] {
  return models.flatMap((m) => [
    { file: `${importedModelId(name, m.slot)}.onnx`, bytes: m.bytes },
    ...(m.int8 ? [{ file: `${importedModelId(name, m.slot)}.int8.onnx`, bytes: m.int8 }] : []),
  ]);
}

/** The manifest entry of one imported model. */
export function importedEntry(name: string, model: ImportedModelBytes, importedBy: string): ImportedEntry {
  const id = importedModelId(name, model.slot);
  return {
    file: `${id}.onnx`,
    sha256: sha256(model.bytes),
    kind: model.kind,
    sources: model.sources,
    converterVersion: CONVERTER_VERSION,
    convertedAt: new Date().toISOString(),
    importedBy,
    ...(model.int8 ? { int8: { file: `${id}.int8.onnx`, sha256: sha256(model.int8), quantizerVersion: QUANTIZER_VERSION } } : {}),
    ...(model.spec ? { spec: model.spec } : {}),
  };
}

/** How to redo an import, for messages about a missing or changed file. */
const reimportFix = (entry: ImportedEntry | undefined) =>
  `Possible fix: run \`faceread models ${entry?.importedBy ?? 'import-caffe, import-tf or import-onnx'}\` again with the original files${entry ? ` (${entry.sources.map((s) => s.path).join(', ')})` : ''}.`;

/** Why an imported model's file cannot be loaded as imported, or undefined when it can. */
export async function importedFileProblem(file: string, expectedSha256: string): Promise<string | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? `${file} is missing` : `${file} cannot be read (${(error as Error).message})`;
  }
  return sha256(bytes) === expectedSha256 ? undefined : `${file} does not match its sha256`;
}

/**
 * The imported model's file after checking its sha256; MODEL_UNAVAILABLE with the fix otherwise.
 * `int8` gives its int8 file when it was imported with one, else the float32 file.
 */
export async function verifyImported(store: ModelStore, id: string, check = true, precision: Precision = 'fp32'): Promise<StoredImportedModel> {
  const entry = (await store.manifest()).imported?.[id];
  if (!entry) throw new FaceReadError('MODEL_UNAVAILABLE', `The imported model ${id} is not in the store ${store.dir}. ${reimportFix(undefined)}`);
  const chosen = precision === 'int8' && entry.int8 ? { ...entry.int8, precision: 'int8' as const } : { file: entry.file, sha256: entry.sha256, precision: 'fp32' as const };
  const file = path.join(store.dir, chosen.file);
  const problem = check ? await importedFileProblem(file, chosen.sha256) : undefined;
  if (problem) throw new FaceReadError('MODEL_UNAVAILABLE', `The imported model ${id}: ${problem}. ${reimportFix(entry)}`);
  return { id, path: file, sha256: chosen.sha256, precision: chosen.precision, converted: false, kind: entry.kind };
}
