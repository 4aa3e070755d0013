/**
 * Imported models in the model store. They come from the user's files, not
 * from an npm package, so the manifest records for each one the source
 * paths and their sha256 (what was imported), the converted file and its
 * sha256 (what is loaded), and its kind (which runner drives it). Profiles
 * built at import time live in the manifest too and are found after the
 * built-in ones. An imported model is never converted again behind the
 * user's back: if its file is missing or corrupted, the fix is to import again.
 *
 * @example
 *   await saveImport(store, 'opencv-classic', [{ slot: 'age', bytes, sources }], DEFAULT_PROFILE);
 *   const profile = await findImportedProfile(store, 'opencv-classic');
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { CONVERTER_VERSION, QUANTIZER_VERSION } from '../convert/converter-version.js';
import { FaceReadError } from '../errors.js';
import { KIND_FOR_SLOT, type ImportedSlot } from './imported.js';
import type { Precision } from './precision.js';
import { findProfile, type Profile } from './registry.js';
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
  /** The int8 version, when imported with `--int8` (ranges measured at import time). */
  int8?: { file: string; sha256: string; quantizerVersion: number };
}

/** A stored model plus the kind whose runner drives it. */
export interface StoredImportedModel extends StoredModel {
  kind: string;
}

export interface ImportedModelBytes {
  slot: ImportedSlot;
  bytes: Uint8Array;
  sources: ImportedSource[];
  /** The int8 version's bytes, when one was made. */
  int8?: Uint8Array;
}

/** The id an imported model gets inside profile `name`. */
export const importedModelId = (name: string, slot: ImportedSlot): string => `${name}-${slot}`;

/**
 * Stores the converted models and a profile `name` that uses them, with the
 * models of `baseProfile` for whatever was not imported. Returns the profile.
 */
export async function saveImport(store: ModelStore, name: string, models: readonly ImportedModelBytes[], baseProfile: string): Promise<Profile> {
  const base = findProfile(baseProfile);
  const idOf = (slot: ImportedSlot) => (models.some((m) => m.slot === slot) ? importedModelId(name, slot) : undefined);
  const profile: Profile = {
    detector: idOf('detector') ?? base.detector,
    // Imported attribute models first: the first model providing an attribute answers for it.
    attributes: [...[idOf('age'), idOf('gender')].filter((id): id is string => id !== undefined), ...base.attributes],
    ...(base.landmarks && !idOf('detector') ? { landmarks: base.landmarks } : {}),
  };
  const now = new Date().toISOString();
  const files = models.flatMap((m) => [
    { file: `${importedModelId(name, m.slot)}.onnx`, bytes: m.bytes },
    ...(m.int8 ? [{ file: `${importedModelId(name, m.slot)}.int8.onnx`, bytes: m.int8 }] : []),
  ]);
  await store.putFiles(files, (manifest) => {
    const imported = (manifest.imported ??= {});
    for (const m of models) {
      imported[importedModelId(name, m.slot)] = {
        file: `${importedModelId(name, m.slot)}.onnx`,
        sha256: sha256(m.bytes),
        kind: KIND_FOR_SLOT[m.slot],
        sources: m.sources,
        converterVersion: CONVERTER_VERSION,
        convertedAt: now,
        ...(m.int8 ? { int8: { file: `${importedModelId(name, m.slot)}.int8.onnx`, sha256: sha256(m.int8), quantizerVersion: QUANTIZER_VERSION } } : {}),
      };
    }
    (manifest.profiles ??= {})[name] = profile;
  });
  return profile;
}

/** A profile saved by an import, or undefined. */
export async function findImportedProfile(store: ModelStore, name: string): Promise<Profile | undefined> {
  return (await store.manifest()).profiles?.[name];
}

/** Every profile saved by imports, by name. */
export async function importedProfiles(store: ModelStore): Promise<Record<string, Profile>> {
  return (await store.manifest()).profiles ?? {};
}

/** Every imported model's manifest entry, by id. */
export async function importedEntries(store: ModelStore): Promise<Record<string, ImportedEntry>> {
  return (await store.manifest()).imported ?? {};
}

/**
 * The imported model's file after checking its sha256; MODEL_UNAVAILABLE with the fix otherwise.
 * `int8` gives its int8 file when it was imported with one, else the float32 file.
 */
export async function verifyImported(store: ModelStore, id: string, check = true, precision: Precision = 'fp32'): Promise<StoredImportedModel> {
  const entry = (await store.manifest()).imported?.[id];
  const fix = 'Possible fix: run `faceread models import-caffe` (or import-tf) again with the original files.';
  if (!entry) throw new FaceReadError('MODEL_UNAVAILABLE', `The imported model ${id} is not in the store ${store.dir}. ${fix}`);
  const chosen = precision === 'int8' && entry.int8 ? { ...entry.int8, precision: 'int8' as const } : { file: entry.file, sha256: entry.sha256, precision: 'fp32' as const };
  const file = path.join(store.dir, chosen.file);
  if (check) {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (cause) {
      throw new FaceReadError('MODEL_UNAVAILABLE', `The imported model file ${file} is missing. ${fix}`, { cause });
    }
    if (sha256(bytes) !== chosen.sha256) throw new FaceReadError('MODEL_UNAVAILABLE', `The imported model file ${file} does not match its sha256. ${fix}`);
  }
  return { id, path: file, sha256: chosen.sha256, precision: chosen.precision, converted: false, kind: entry.kind };
}
