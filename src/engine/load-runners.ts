/**
 * Loads a profile's stored models into runners: one onnxruntime session per
 * model, driven by its kind's runner (src/models/kinds.ts) with the
 * profile's options for it. Used by the analysis workers, and by benches
 * that drive runners directly.
 *
 * @example
 *   const stored = await resolveStoredProfile('default');
 *   const { runner } = await loadRunner(stored.detectors[0]!, 'detector', { intraOpThreads: 1, executionProvider: 'cpu' });
 */
import { attributesToRun, DEFAULT_ATTRIBUTES } from '../attributes/registry.js';
import { FaceReadError } from '../errors.js';
import { findKind, type DetectorKind, type ModelRole } from '../models/kinds.js';
import type { StoredModelFile, StoredProfile } from '../models/prepare.js';
import type { LoadedRunners } from '../pipeline/analyze-photo.js';
import { chainFromSpec, linksOf, type ChainLinkSpec, type DetectorChain, type DetectorLook } from '../pipeline/detectors/detector-chain.js';
import type { AttributePredictor, FaceDetector, LandmarkFinder, RunnerFactory } from '../pipeline/runner-types.js';
import type { Attribute } from '../types.js';
import type { ExecutionProvider } from './execution-provider.js';
import { createSession } from './session-options.js';

export interface SessionSettings {
  intraOpThreads: number;
  executionProvider: ExecutionProvider;
}

interface RunnerOf {
  detector: FaceDetector;
  landmarks: LandmarkFinder;
  attributes: AttributePredictor;
}

/** A runner of the role the profile gave the model, around its own session. */
export async function loadRunner<R extends ModelRole>(file: StoredModelFile, role: R, settings: SessionSettings): Promise<{ id: string; runner: RunnerOf[R] }> {
  const kind = findKind(file.kind);
  if (kind.role !== role) throw new RangeError(`${file.id} (${kind.id}) is a ${kind.role} model, not a ${role} model`);
  const session = await createSession(file.path, settings.intraOpThreads, settings.executionProvider);
  const factory = (await kind.runner()) as RunnerFactory<RunnerOf[R]>;
  // Results name the model by its id (an imported model's own id, not its kind's).
  return { id: file.id, runner: factory(session, file.options, file.spec) };
}

/**
 * The profile's detector chain: each detector in turn, looking at the photo as its profile
 * options (else its kind's defaults) say.
 */
async function loadDetectorChain(files: readonly StoredModelFile[], settings: SessionSettings): Promise<DetectorChain> {
  const detectors = new Map<string, FaceDetector>();
  const links: ChainLinkSpec[] = [];
  for (const file of files) {
    detectors.set(file.id, (await loadRunner(file, 'detector', settings)).runner);
    const defaults = (findKind(file.kind) as DetectorKind).chainDefaults;
    const look = (file.options?.look as DetectorLook | undefined) ?? defaults?.look ?? 'retry';
    const minScore = (file.options?.minScore as number | undefined) ?? defaults?.minScore;
    links.push(...linksOf(file.id, look, minScore));
  }
  return chainFromSpec(links, (id) => detectors.get(id)!);
}

/** Every runner of a profile, one model at a time (sessions load on the cores the photos need). */
export async function loadRunners(profile: StoredProfile, settings: SessionSettings): Promise<LoadedRunners> {
  const runners: LoadedRunners = { detector: await loadDetectorChain(profile.detectors, settings), attributeModels: [], answers: profile.answers };
  if (profile.landmarks) runners.landmarks = await loadRunner(profile.landmarks, 'landmarks', settings);
  for (const file of profile.attributeModels) {
    const answersByDefault = DEFAULT_ATTRIBUTES.some((attribute) => profile.answers[attribute]?.models.includes(file.id));
    if (answersByDefault) runners.attributeModels.push(await loadRunner(file, 'attributes', settings));
    else (runners.deferred ??= new Map()).set(file.id, () => loadRunner(file, 'attributes', settings));
  }
  return runners;
}

/** Loads, once, the deferred models (see LoadedRunners) answering any of `attributes` or what they use (smile: expression). */
export async function loadAskedModels(runners: LoadedRunners, attributes: readonly Attribute[]): Promise<void> {
  if (!runners.deferred?.size) return;
  for (const attribute of attributesToRun(attributes)) {
    for (const id of runners.answers[attribute]?.models ?? []) {
      const load = runners.deferred.get(id);
      if (!load) continue;
      try {
        runners.attributeModels.push(await load());
      } catch (cause) {
        // Kept deferred: the next photo that asks tries again (and says why again).
        throw new FaceReadError('MODEL_UNAVAILABLE', `The model ${id} for ${attribute} cannot be loaded: ${(cause as Error).message}`, { cause });
      }
      runners.deferred.delete(id);
    }
  }
}
