/**
 * The resolver: turns a profile name into stored model files ready for the
 * workers. It looks the profile up in the catalogue (built-in, then saved in
 * the store), makes sure each built-in model is converted and intact at the
 * precision it runs at, and checks each imported model's file.
 */
import type { ModelOptions, ModelSpec } from '../pipeline/runner-types.js';
import { Catalogue, type CatalogueModel } from './catalogue.js';
import { verifyImported } from './imported-store.js';
import { modelPrecision, type Precision, type PrecisionChoice } from './precision.js';
import { appliedCalibration, type AppliedCalibration } from './profile-calibration.js';
import { attributeModelIds, profileModelIds, type Profile } from './profiles.js';
import { ModelStore, defaultStoreDir, type StoredModel } from './store.js';

/** A model file for the workers, with the kind whose runner drives it. */
export interface StoredModelFile {
  id: string;
  path: string;
  kind: string;
  /** The profile's settings for its runner. */
  options?: ModelOptions;
  /** What its import stored for its runner. */
  spec?: ModelSpec;
}

/** A profile's files, in the shape the workers load them. */
export interface StoredProfile {
  /** The detector chain: the first, then fallbacks. */
  detectors: StoredModelFile[];
  landmarks?: StoredModelFile;
  /** Each attribute model once, in the order the profile names them. */
  attributeModels: StoredModelFile[];
  /** Who answers each attribute (model ids among attributeModels) and how they combine. */
  answers: Profile['attributes'];
  /** The profile's fitted calibration, applied as each result is assembled (src/pipeline/assemble-result.ts). */
  calibration?: AppliedCalibration;
}

/**
 * Imported OpenCV models answer as OpenCV does in float32, so `auto` keeps them there; `int8`
 * uses their int8 file when they were imported with `--int8` (float32 otherwise).
 */
const importedPrecision = (choice: PrecisionChoice): Precision => (choice === 'int8' ? 'int8' : 'fp32');

/** A model's stored file at the precision `choice` gives it: verified (converting if needed), or as listed. */
async function storedFile(store: ModelStore, model: CatalogueModel, choice: PrecisionChoice, verify: boolean): Promise<StoredModel | undefined> {
  if (model.origin === 'imported') {
    const found = verifyImported(store, model.id, verify, importedPrecision(choice));
    return verify ? found : found.catch(() => undefined);
  }
  const precision = modelPrecision(model.definition, choice);
  return verify ? store.ensure(model.definition, precision) : store.peek(model.definition, precision);
}

function arrange(catalogue: Catalogue, name: string, profile: Profile, stored: ReadonlyMap<string, StoredModel>): StoredProfile {
  const pick = (id: string): StoredModelFile => {
    const options = profile.modelOptions?.[id];
    const model = catalogue.findModel(id)!;
    const spec = model.origin === 'imported' ? model.entry.spec : undefined;
    return { id, path: stored.get(id)!.path, kind: model.kind.id, ...(options ? { options } : {}), ...(spec ? { spec } : {}) };
  };
  return {
    detectors: profile.detectors.map(pick),
    ...(profile.landmarks ? { landmarks: pick(profile.landmarks) } : {}),
    attributeModels: attributeModelIds(profile).map(pick),
    answers: profile.attributes,
    ...(profile.calibration ? { calibration: appliedCalibration(name, profile.calibration) } : {}),
  };
}

/** Every file of a profile, each once (for logs and memory benches). */
export const storedFiles = (profile: StoredProfile): StoredModelFile[] => [...profile.detectors, ...(profile.landmarks ? [profile.landmarks] : []), ...profile.attributeModels];

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
  const catalogue = await Catalogue.open(store);
  const profile = catalogue.profile(profileName);
  // One at a time: conversions are CPU-bound and share the store's lock.
  const stored = new Map<string, StoredModel>();
  for (const id of profileModelIds(profile)) stored.set(id, (await storedFile(store, catalogue.findModel(id)!, precision, true))!);
  return { ...arrange(catalogue, profileName, profile, stored), converted: [...stored.values()].some((m) => m.converted) };
}

/** The profile's files as the manifest lists them, unverified; undefined if any is not listed. */
export async function peekStoredProfile(profileName: string, modelDir = defaultStoreDir(), precision: PrecisionChoice = 'auto'): Promise<StoredProfile | undefined> {
  const store = new ModelStore(modelDir);
  const catalogue = await Catalogue.open(store);
  const profile = catalogue.profile(profileName);
  const stored = new Map<string, StoredModel>();
  for (const id of profileModelIds(profile)) {
    const found = await storedFile(store, catalogue.findModel(id)!, precision, false);
    if (!found) return undefined;
    stored.set(id, found);
  }
  return arrange(catalogue, profileName, profile, stored);
}
