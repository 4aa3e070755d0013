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
import { CONVERTER_VERSION } from '../convert/converter-version.js';
import { FaceReadError } from '../errors.js';
import { KIND_FOR_SLOT, type ImportedSlot } from './imported.js';
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
}

/** A stored model plus the kind whose runner drives it. */
export interface StoredImportedModel extends StoredModel {
  kind: string;
}

export interface ImportedModelBytes {
  slot: ImportedSlot;
  bytes: Uint8Array;
  sources: ImportedSource[];
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
  const files = models.map((m) => ({ file: `${importedModelId(name, m.slot)}.onnx`, bytes: m.bytes }));
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

/** The imported model's file after checking its sha256; MODEL_UNAVAILABLE with the fix otherwise. */
export async function verifyImported(store: ModelStore, id: string, check = true): Promise<StoredImportedModel> {
  const entry = (await store.manifest()).imported?.[id];
  const fix = 'Possible fix: run `faceread models import-caffe` (or import-tf) again with the original files.';
  if (!entry) throw new FaceReadError('MODEL_UNAVAILABLE', `The imported model ${id} is not in the store ${store.dir}. ${fix}`);
  const file = path.join(store.dir, entry.file);
  if (check) {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (cause) {
      throw new FaceReadError('MODEL_UNAVAILABLE', `The imported model file ${file} is missing. ${fix}`, { cause });
    }
    if (sha256(bytes) !== entry.sha256) throw new FaceReadError('MODEL_UNAVAILABLE', `The imported model file ${file} does not match its sha256. ${fix}`);
  }
  return { id, path: file, sha256: entry.sha256, precision: 'fp32', converted: false, kind: entry.kind };
}
