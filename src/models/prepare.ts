/**
 * Turns a profile name into stored model files ready for the workers:
 * looks the profile up in the registry and makes sure each of its models is
 * converted and intact in the store, at the precision each one runs at.
 */
import { FaceReadError } from '../errors.js';
import { findImportedProfile, importedProfiles, verifyImported } from './imported-store.js';
import { modelPrecision, type Precision, type PrecisionChoice } from './precision.js';
import { findModel, findProfile, MODELS, PROFILES, type Profile } from './registry.js';
import { ModelStore, defaultStoreDir, type StoredModel } from './store.js';

/** A model file for the workers; `kind` is set for imported models (it names their runner). */
export interface StoredModelFile {
  id: string;
  path: string;
  kind?: string;
}

export interface StoredProfile {
  detector: StoredModelFile;
  landmarks?: StoredModelFile;
  attributes: StoredModelFile[];
}

/** A built-in profile, else one saved by `faceread models import-caffe|import-tf`. */
async function lookUpProfile(profileName: string, store: ModelStore): Promise<Profile> {
  if (Object.hasOwn(PROFILES, profileName)) return findProfile(profileName);
  const imported = await findImportedProfile(store, profileName);
  if (imported) return imported;
  const known = [...Object.keys(PROFILES), ...Object.keys(await importedProfiles(store))];
  throw new FaceReadError('INVALID_OPTION', `Unknown model profile "${profileName}". Should be one of: ${known.join(', ')}`);
}

/** Every model id of a profile, detector first. */
function profileIds(profile: Profile): string[] {
  return [profile.detector, ...(profile.landmarks ? [profile.landmarks] : []), ...profile.attributes];
}

const isBuiltIn = (id: string) => MODELS.some((m) => m.id === id);

/**
 * Imported OpenCV models answer as OpenCV does in float32, so `auto` keeps them there; `int8`
 * uses their int8 file when they were imported with `--int8` (float32 otherwise).
 */
const importedPrecision = (choice: PrecisionChoice): Precision => (choice === 'int8' ? 'int8' : 'fp32');

/** A built-in model's stored file at the precision `choice` gives it. */
function builtIn(store: ModelStore, id: string, choice: PrecisionChoice, verify: boolean): Promise<StoredModel | undefined> {
  const model = findModel(id);
  const precision = modelPrecision(model, choice);
  return verify ? store.ensure(model, precision) : store.peek(model, precision);
}

function arrange(profile: Profile, stored: ReadonlyMap<string, StoredModel & { kind?: string }>): StoredProfile {
  const pick = (id: string): StoredModelFile => {
    const { path, kind } = stored.get(id)!;
    return kind ? { id, path, kind } : { id, path };
  };
  return {
    detector: pick(profile.detector),
    landmarks: profile.landmarks ? pick(profile.landmarks) : undefined,
    attributes: profile.attributes.map(pick),
  };
}

/**
 * Ensures every model of `profileName` is in the store at `modelDir` and
 * returns their files, and whether any had to be converted.
 */
export async function resolveStoredProfile(
  profileName: string,
  modelDir = defaultStoreDir(),
  log: (message: string) => void = () => {},
  precision: PrecisionChoice = 'auto',
): Promise<StoredProfile & { converted: boolean }> {
  const store = new ModelStore(modelDir, log);
  const profile = await lookUpProfile(profileName, store);
  // One at a time: conversions are CPU-bound and share the store's lock.
  const stored = new Map<string, StoredModel & { kind?: string }>();
  for (const id of profileIds(profile)) stored.set(id, isBuiltIn(id) ? (await builtIn(store, id, precision, true))! : await verifyImported(store, id, true, importedPrecision(precision)));
  return { ...arrange(profile, stored), converted: [...stored.values()].some((m) => m.converted) };
}

/** The profile's files as the manifest lists them, unverified; undefined if any is not listed. */
export async function peekStoredProfile(profileName: string, modelDir = defaultStoreDir(), precision: PrecisionChoice = 'auto'): Promise<StoredProfile | undefined> {
  const store = new ModelStore(modelDir);
  const profile = await lookUpProfile(profileName, store);
  const stored = new Map<string, StoredModel & { kind?: string }>();
  for (const id of profileIds(profile)) {
    const found = isBuiltIn(id) ? await builtIn(store, id, precision, false) : await verifyImported(store, id, false, importedPrecision(precision)).catch(() => undefined);
    if (!found) return undefined;
    stored.set(id, found);
  }
  return arrange(profile, stored);
}
