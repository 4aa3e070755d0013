/**
 * Turns a profile name into stored model files ready for the workers:
 * looks the profile up in the registry and makes sure each of its models is
 * converted and intact in the store.
 */
import { FaceReadError } from '../errors.js';
import { findModel, findProfile, profileModels, type Profile } from './registry.js';
import { ModelStore, defaultStoreDir, type StoredModel } from './store.js';

export interface StoredProfile {
  detector: { id: string; path: string };
  landmarks?: { id: string; path: string };
  attributes: { id: string; path: string }[];
}

function lookUpProfile(profileName: string): Profile {
  try {
    return findProfile(profileName);
  } catch (error) {
    throw new FaceReadError('INVALID_OPTION', (error as Error).message);
  }
}

function arrange(profile: Profile, stored: ReadonlyMap<string, StoredModel>): StoredProfile {
  const pick = (id: string) => {
    const { path } = stored.get(findModel(id).id)!;
    return { id, path };
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
): Promise<StoredProfile & { converted: boolean }> {
  const profile = lookUpProfile(profileName);
  const store = new ModelStore(modelDir, log);
  // One at a time: conversions are CPU-bound and share the store's lock.
  const stored = new Map<string, StoredModel>();
  for (const model of profileModels(profile)) stored.set(model.id, await store.ensure(model));
  return { ...arrange(profile, stored), converted: [...stored.values()].some((m) => m.converted) };
}

/** The profile's files as the manifest lists them, unverified; undefined if any is not listed. */
export async function peekStoredProfile(profileName: string, modelDir = defaultStoreDir()): Promise<StoredProfile | undefined> {
  const profile = lookUpProfile(profileName);
  const store = new ModelStore(modelDir);
  const stored = new Map<string, StoredModel>();
  for (const model of profileModels(profile)) {
    const found = await store.peek(model);
    if (!found) return undefined;
    stored.set(model.id, found);
  }
  return arrange(profile, stored);
}
