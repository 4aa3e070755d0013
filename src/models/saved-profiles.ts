/**
 * Changes to the profiles saved in a store: an import fills the roles it
 * was given in profile `name` and keeps the rest (a new profile starts from
 * a base profile), `faceread profiles set` edits a profile's parts, and
 * `remove` deletes one. Every change is made under the store's lock on the
 * latest manifest and checked against the catalogue before it is written.
 *
 * @example
 *   await saveImport(store, 'classic', [detector], { base: 'default', importedBy: 'import-tf ...' });
 *   await saveImport(store, 'classic', [age, gender], { base: 'default', importedBy: 'import-caffe ...' });
 *   // classic: the TF detector, and the Caffe age and gender networks, each answering alone
 */
import { FaceReadError, invalidOption } from '../errors.js';
import type { Attribute } from '../types.js';
import { Catalogue } from './catalogue.js';
import { importedEntry, importedFiles, importedModelId, type ImportedModelBytes } from './imported-store.js';
import { findKind, kindProvides } from './kinds.js';
import type { ProfileCalibration } from './profile-calibration.js';
import { BUILT_IN_PROFILES, isBuiltInProfile, profileModelIds, type AttributeAnswer, type Profile } from './profiles.js';
import type { Manifest, ModelStore } from './store.js';

/** Checks a name for a saved profile: short, kebab-case, not a built-in profile's. */
export function checkProfileName(name: string, option = '--name'): string {
  if (!/^[a-z0-9][a-z0-9-]{0,47}$/.test(name)) throw invalidOption(option, 'a kebab-case name (a-z, 0-9, -; at most 48 characters)', name);
  if (isBuiltInProfile(name)) throw invalidOption(option, `a name other than the built-in profiles (${Object.keys(BUILT_IN_PROFILES).join(', ')})`, name);
  return name;
}

/** A calibration was fitted to a profile's models: when they change it no longer fits, so it goes. */
function withoutCalibration(profile: Profile): Profile {
  const { calibration: _stale, ...rest } = profile;
  return rest;
}

/** Options of models the profile no longer runs are dropped. */
function withoutStaleOptions(profile: Profile): Profile {
  if (!profile.modelOptions) return profile;
  const used = new Set(profileModelIds(profile));
  const modelOptions = Object.fromEntries(Object.entries(profile.modelOptions).filter(([id]) => used.has(id)));
  const { modelOptions: _dropped, ...rest } = profile;
  return Object.keys(modelOptions).length > 0 ? { ...rest, modelOptions } : rest;
}

/** Applies `edit` to profile `name` (or to `base` when `name` is new) and saves it; returns the saved profile. */
async function editProfile(
  store: ModelStore,
  name: string,
  base: string,
  edit: (profile: Profile, catalogue: Catalogue) => Profile,
  files: readonly { file: string; bytes: Uint8Array }[] = [],
  before: (manifest: Manifest) => void = () => {},
): Promise<Profile> {
  checkProfileName(name);
  let saved!: Profile;
  await store.putFiles(files, (manifest) => {
    before(manifest);
    const catalogue = Catalogue.of(store, manifest);
    const current = catalogue.savedProfiles()[name] ?? catalogue.profile(base);
    saved = withoutStaleOptions(edit(current, catalogue));
    catalogue.check(saved, name);
    (manifest.profiles ??= {})[name] = saved;
  });
  return saved;
}

export interface ImportTarget {
  /** The profile a new profile starts from (default `default`). */
  base: string;
  /** The command line, recorded so that messages can say how to import again. */
  importedBy: string;
}

/**
 * Stores the converted models and puts them into profile `name`: an imported detector becomes
 * its whole detector chain (and, as in OpenCV's classic app, no landmark model runs) or, as a
 * fallback, the chain's last link; an attribute model answers alone for what it provides.
 * Everything else stays as it was.
 */
export function saveImport(store: ModelStore, name: string, models: readonly ImportedModelBytes[], target: ImportTarget): Promise<Profile> {
  return editProfile(
    store,
    name,
    target.base,
    (profile) => {
      let next: Profile = { ...withoutCalibration(profile), attributes: { ...profile.attributes } };
      for (const model of models) {
        const id = importedModelId(name, model.slot);
        const kind = findKind(model.kind);
        if (kind.role === 'detector' && model.fallback) {
          next = { ...next, detectors: [...next.detectors.filter((d) => d !== id), id] };
        } else if (kind.role === 'detector') {
          const { landmarks: _none, ...rest } = next;
          next = { ...rest, detectors: [id] };
        } else if (kind.role === 'landmarks') {
          next = { ...next, landmarks: id };
        } else {
          const attributes: Partial<Record<Attribute, AttributeAnswer>> = { ...next.attributes };
          for (const attribute of kindProvides(kind, model.spec)) attributes[attribute] = { models: [id], combine: 'alone' };
          next = { ...next, attributes };
        }
      }
      return next;
    },
    importedFiles(name, models),
    (manifest) => {
      const imported = (manifest.imported ??= {});
      for (const model of models) imported[importedModelId(name, model.slot)] = importedEntry(name, model, target.importedBy);
    },
  );
}

/** What `faceread profiles set` may change; unset parts stay. */
export interface ProfileChanges {
  detectors?: readonly string[];
  /** A model id, or null for none. */
  landmarks?: string | null;
  attributes?: Partial<Record<Attribute, AttributeAnswer | null>>;
  /** Per model: settings to set (a value) or drop (null). */
  options?: Readonly<Record<string, Readonly<Record<string, string | number | boolean | null>>>>;
}

/** Creates or changes saved profile `name` (new ones start from `base`). */
export function setProfile(store: ModelStore, name: string, changes: ProfileChanges, base = 'default'): Promise<Profile> {
  return editProfile(store, name, base, (profile) => {
    const { landmarks: oldLandmarks, ...rest } = withoutCalibration(profile);
    const landmarks = changes.landmarks === undefined ? oldLandmarks : (changes.landmarks ?? undefined);
    const attributes: Partial<Record<Attribute, AttributeAnswer>> = { ...profile.attributes };
    for (const [attribute, answer] of Object.entries(changes.attributes ?? {}) as [Attribute, AttributeAnswer | null][]) {
      if (answer) attributes[attribute] = answer;
      else delete attributes[attribute];
    }
    const modelOptions: Record<string, Record<string, string | number | boolean>> = Object.fromEntries(Object.entries(profile.modelOptions ?? {}).map(([id, o]) => [id, { ...o }]));
    for (const [id, settings] of Object.entries(changes.options ?? {})) {
      const merged = (modelOptions[id] ??= {});
      for (const [key, value] of Object.entries(settings)) {
        if (value === null) delete merged[key];
        else merged[key] = value;
      }
      if (Object.keys(merged).length === 0) delete modelOptions[id];
    }
    return {
      ...rest,
      detectors: changes.detectors ?? profile.detectors,
      ...(landmarks ? { landmarks } : {}),
      attributes,
      ...(Object.keys(modelOptions).length > 0 ? { modelOptions } : {}),
    };
  });
}

/**
 * Saves profile `name`: the models of profile `base` with `calibration` (any calibration `base` had
 * is replaced: `faceread calibrate` fits on the base's uncalibrated answers).
 */
export function saveCalibratedProfile(store: ModelStore, name: string, base: string, calibration: ProfileCalibration): Promise<Profile> {
  return editProfile(store, name, base, (_current, catalogue) => ({ ...withoutCalibration(catalogue.profile(base)), calibration }));
}

/** Deletes saved profile `name`; its imported models stay in the store (returned: those no profile uses now). */
export async function removeProfile(store: ModelStore, name: string): Promise<string[]> {
  if (isBuiltInProfile(name)) throw invalidOption('profile', 'a saved profile (built-in profiles cannot be removed)', name);
  let unused: string[] = [];
  await store.putFiles([], (manifest) => {
    if (!manifest.profiles?.[name]) {
      throw new FaceReadError('INVALID_OPTION', `There is no saved profile "${name}" in ${store.dir}. Saved profiles: ${Object.keys(manifest.profiles ?? {}).join(', ') || 'none'}`);
    }
    delete manifest.profiles[name];
    const catalogue = Catalogue.of(store, manifest);
    const used = new Set(Object.values(catalogue.savedProfiles()).flatMap(profileModelIds));
    unused = Object.keys(manifest.imported ?? {}).filter((id) => !used.has(id));
  });
  return unused;
}
