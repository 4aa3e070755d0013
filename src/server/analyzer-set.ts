/**
 * The analyzers a server offers, one per model profile: checks every name
 * in the configuration against the built-in and imported profiles before
 * anything starts, then loads one analyzer (with its own worker pool) per
 * profile and closes them all on shutdown.
 *
 * Pool sizes on a small machine: the default profile gets the configured
 * pool size (FACEREAD_POOL_SIZE, 1 worker with FACEREAD_THREADS=2
 * onnxruntime threads on two cores) and every other profile
 * FACEREAD_EXTRA_POOL_SIZE workers (1), so offering `fast` next to `default`
 * costs one more worker's memory rather than doubling it; the cores are
 * shared and only oversubscribed while several profiles are busy at once.
 *
 * @example
 *   const profiles = await describeProfiles(offeredProfiles(config), config.modelDir);
 *   const set = loadAnalyzerSet(profiles, config, log);
 *   await set.ready;          // every analyzer loaded
 *   await set.close();        // every pool stopped
 */
import { createAnalyzer } from '../analyzer.js';
import { FaceReadError } from '../errors.js';
import { Catalogue } from '../models/catalogue.js';
import { attributeModelIds, BUILT_IN_PROFILES, isBuiltInProfile, type Profile } from '../models/profiles.js';
import { ModelStore, defaultStoreDir } from '../models/store.js';
import type { Attribute } from '../types.js';
import type { Analyzer } from '../types.js';
import type { ServerConfig } from './config.js';

/** The model ids a profile uses, as `GET /api/profiles` lists them. */
export interface ProfileModels {
  /** The first detector (the chain's fallbacks follow in `detectors`). */
  detector: string;
  detectors: readonly string[];
  landmarks?: string;
  /** Every attribute model, once each. */
  attributes: readonly string[];
  /** The model(s) answering each attribute. */
  answers: Partial<Record<Attribute, readonly string[]>>;
}

/** A profile's name and models, known before its analyzer loads. */
export interface ProfileDescription {
  name: string;
  models: ProfileModels;
}

/** An offered profile with its analyzer, or the promise of one while its models load. */
export interface OfferedProfile extends ProfileDescription {
  analyzer: Analyzer | Promise<Analyzer>;
}

function modelsOf(profile: Profile): ProfileModels {
  return {
    detector: profile.detectors[0]!,
    detectors: [...profile.detectors],
    ...(profile.landmarks ? { landmarks: profile.landmarks } : {}),
    attributes: attributeModelIds(profile),
    answers: Object.fromEntries(Object.entries(profile.attributes).map(([attribute, answer]) => [attribute, [...answer!.models]])),
  };
}

/** A built-in profile's models, or undefined (saved profiles live in the store's manifest). */
export function builtInProfileModels(name: string): ProfileModels | undefined {
  return isBuiltInProfile(name) ? modelsOf(BUILT_IN_PROFILES[name]!) : undefined;
}

/**
 * Looks every name up among the built-in profiles, then those saved in the store.
 * @throws FaceReadError INVALID_OPTION naming the unknown profile and every known one; MODEL_UNAVAILABLE for a profile whose models are gone
 */
export async function describeProfiles(names: readonly string[], modelDir: string | null = null): Promise<ProfileDescription[]> {
  const catalogue = await Catalogue.open(new ModelStore(modelDir ?? defaultStoreDir()));
  return names.map((name) => {
    if (!catalogue.profileNames().includes(name)) {
      throw new FaceReadError('INVALID_OPTION', `Unknown model profile "${name}" offered by the server (FACEREAD_PROFILES, FACEREAD_PROFILE or --models). Should be one of: ${catalogue.profileNames().join(', ')}`);
    }
    return { name, models: modelsOf(catalogue.profile(name)) };
  });
}

export interface AnalyzerSet {
  /** The offered profiles, the default first, each with its (loading) analyzer. */
  readonly profiles: readonly OfferedProfile[];
  /** Resolves when every analyzer is loaded; rejects with the first failure. */
  readonly ready: Promise<void>;
  /** Resolves once the default profile's worker threads have started (or its start ended early). */
  readonly workersStarting: Promise<void>;
  /** Stops every analyzer that loaded (pending analyses finish first). */
  close(): Promise<void>;
}

/**
 * Starts loading one analyzer per profile, one after the other: loads convert and hash models in
 * the shared store and would only compete for the cores; the default profile is loaded first.
 */
export function loadAnalyzerSet(
  described: readonly ProfileDescription[],
  config: Pick<Readonly<ServerConfig>, 'modelDir' | 'poolSize' | 'extraPoolSize' | 'threads'> & Partial<Pick<ServerConfig, 'precision'>>,
  log: (message: string) => void,
): AnalyzerSet {
  let previous: Promise<unknown> = Promise.resolve();
  let workersStarted!: () => void;
  const workersStarting = new Promise<void>((resolve) => (workersStarted = resolve));
  const profiles = described.map((profile, index): OfferedProfile => {
    const poolSize = index === 0 ? config.poolSize : config.extraPoolSize;
    const analyzer = previous.then(() =>
      createAnalyzer({
        profile: profile.name,
        ...(config.modelDir ? { modelDir: config.modelDir } : {}),
        ...(poolSize ? { poolSize } : {}),
        ...(config.threads ? { intraOpThreads: config.threads } : {}),
        ...(config.precision ? { precision: config.precision } : {}),
        log,
        // A server's first request is answered at full speed (see AnalyzerOptions.warmUp).
        warmUp: true,
        ...(index === 0 ? { onWorkersStarting: workersStarted } : {}),
      }),
    );
    if (index === 0) analyzer.finally(workersStarted).catch(() => {});
    // Handled through `ready`; this keeps an early rejection from being reported as unhandled.
    analyzer.catch(() => {});
    previous = analyzer;
    return { ...profile, analyzer };
  });
  const ready = Promise.all(profiles.map((profile) => profile.analyzer)).then(() => undefined);
  const close = async () => {
    // A profile that failed or never started (an earlier one failed) has nothing to close.
    const loaded = await Promise.all(profiles.map((profile) => Promise.resolve(profile.analyzer).catch(() => null)));
    await Promise.all(loaded.map((analyzer) => analyzer?.close()));
  };
  if (profiles.length === 0) workersStarted();
  return { profiles, ready, workersStarting, close };
}
