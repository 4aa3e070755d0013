/**
 * Turns a profile name into stored model files ready for the workers:
 * looks the profile up in the registry and makes sure each of its models is
 * converted and intact in the store.
 */
import { FaceReadError } from '../errors.js';
import { findModel, findProfile, profileModels } from './registry.js';
import { ModelStore, defaultStoreDir } from './store.js';

export interface StoredProfile {
  detector: { id: string; path: string };
  landmarks?: { id: string; path: string };
  attributes: { id: string; path: string }[];
}

/** Ensures every model of `profileName` is in the store at `modelDir` and returns their files. */
export async function resolveStoredProfile(profileName: string, modelDir = defaultStoreDir(), log: (message: string) => void = () => {}): Promise<StoredProfile> {
  let profile;
  try {
    profile = findProfile(profileName);
  } catch (error) {
    throw new FaceReadError('INVALID_OPTION', (error as Error).message);
  }
  const store = new ModelStore(modelDir, log);
  // One at a time: conversions are CPU-bound and share the store's lock.
  const stored = new Map<string, { id: string; path: string }>();
  for (const model of profileModels(profile)) {
    const { id, path } = await store.ensure(model);
    stored.set(id, { id, path });
  }
  const pick = (id: string) => stored.get(findModel(id).id)!;
  return {
    detector: pick(profile.detector),
    landmarks: profile.landmarks ? pick(profile.landmarks) : undefined,
    attributes: profile.attributes.map(pick),
  };
}
