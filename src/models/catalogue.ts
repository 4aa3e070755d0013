/**
 * The catalogue: every model and profile a store can run, built-in and
 * imported alike. Built-in models come from src/models/registry.ts and
 * imported ones from the store's manifest; both name a kind
 * (src/models/kinds.ts). Profiles are the built-in ones, then those saved in
 * the manifest. `profile()` checks a profile against the models before
 * anyone loads it, so a bad profile fails with its reason, not in a worker.
 *
 * @example
 *   const catalogue = await Catalogue.open(new ModelStore(dir));
 *   const profile = catalogue.profile('opencv-classic');
 */
import { FaceReadError } from '../errors.js';
import type { Attribute } from '../types.js';
import type { ImportedEntry } from './imported-store.js';
import { attributeTraits, detectorLandmarks, findKind, isKnownKind, type AttributeTraits, type ModelKind, type ModelRole } from './kinds.js';
import { attributeModelIds, BUILT_IN_PROFILES, COMBINE_MODES, isBuiltInProfile, upgradeSavedProfile, type Profile } from './profiles.js';
import { calibrationProblem } from './profile-calibration.js';
import { MODELS, type ModelDefinition } from './registry.js';
import type { Manifest, ModelStore } from './store.js';

export type CatalogueModel =
  | { id: string; kind: ModelKind; origin: 'built-in'; definition: ModelDefinition }
  | { id: string; kind: ModelKind; origin: 'imported'; entry: ImportedEntry };

const invalid = (message: string) => new FaceReadError('INVALID_OPTION', message);

/** What a model answers and needs: its kind's, or what its stored spec says for kinds imported with one. */
export function modelTraits(model: CatalogueModel): AttributeTraits {
  try {
    return attributeTraits(model.kind, model.origin === 'imported' ? model.entry.spec : undefined);
  } catch (cause) {
    const fix = model.origin === 'imported' && model.entry.importedBy ? ` Import it again: \`faceread models ${model.entry.importedBy}\`.` : '';
    throw new FaceReadError('MODEL_UNAVAILABLE', `The stored spec of model ${model.id} is broken: ${(cause as Error).message}.${fix}`, { cause });
  }
}

export class Catalogue {
  private constructor(
    readonly store: ModelStore,
    readonly manifest: Manifest,
  ) {}

  static async open(store: ModelStore): Promise<Catalogue> {
    return new Catalogue(store, await store.manifest());
  }

  /** A catalogue over a manifest already read (e.g. under the store's lock). */
  static of(store: ModelStore, manifest: Manifest): Catalogue {
    return new Catalogue(store, manifest);
  }

  /** Every model, built-in first (imported entries of a kind this version does not know are left out: see unknownImports). */
  models(): CatalogueModel[] {
    const imported = Object.entries(this.manifest.imported ?? {})
      .filter(([, entry]) => isKnownKind(entry.kind))
      .map(([id, entry]) => ({ id, kind: findKind(entry.kind), origin: 'imported' as const, entry }));
    return [...MODELS.map((definition) => ({ id: definition.id, kind: findKind(definition.kind), origin: 'built-in' as const, definition })), ...imported];
  }

  /** Imported entries whose kind this version does not know (a hand-edited or newer manifest). */
  unknownImports(): string[] {
    return Object.entries(this.manifest.imported ?? {}).flatMap(([id, entry]) => (isKnownKind(entry.kind) ? [] : [id]));
  }

  /** The model with this id, or undefined. */
  findModel(id: string): CatalogueModel | undefined {
    return this.models().find((m) => m.id === id);
  }

  /** What the model with this id answers (nothing when unknown). */
  provides(id: string): readonly Attribute[] {
    const model = this.findModel(id);
    return model ? modelTraits(model).provides : [];
  }

  /** Profiles saved in the store (imports, `faceread profiles set`), in today's shape. */
  savedProfiles(): Record<string, Profile> {
    return Object.fromEntries(Object.entries(this.manifest.profiles ?? {}).map(([name, saved]) => [name, upgradeSavedProfile(saved, (id) => this.provides(id))]));
  }

  profileNames(): string[] {
    return [...Object.keys(BUILT_IN_PROFILES), ...Object.keys(this.manifest.profiles ?? {}).filter((name) => !isBuiltInProfile(name))];
  }

  /**
   * The profile called `name`, checked against the models.
   * @throws FaceReadError INVALID_OPTION for an unknown name; MODEL_UNAVAILABLE for a profile naming a model the store lacks
   */
  profile(name: string): Profile {
    const profile = isBuiltInProfile(name) ? BUILT_IN_PROFILES[name] : this.savedProfiles()[name];
    if (!profile) throw invalid(`Unknown model profile "${name}". Should be one of: ${this.profileNames().join(', ')}`);
    this.check(profile, name);
    return profile;
  }

  /** Throws, naming the profile and the fix, unless every part of `profile` names a model that can play it. */
  check(profile: Profile, name: string): void {
    const where = `Profile "${name}"`;
    const model = (id: string, role: ModelRole, as: string): CatalogueModel => {
      const found = this.findModel(id);
      if (!found) {
        throw new FaceReadError(
          'MODEL_UNAVAILABLE',
          `${where} uses the model "${id}" as its ${as}, but the store ${this.store.dir} has no such model. Possible fixes: import it again; or change the profile (\`faceread profiles set ${name} ...\`). Known models: ${this.models().map((m) => m.id).join(', ')}`,
        );
      }
      if (found.kind.role !== role) throw invalid(`${where}: "${id}" is a ${found.kind.role} model (${found.kind.id}), not a ${role} model, so it cannot be its ${as}.`);
      return found;
    };
    if (profile.detectors.length === 0) throw invalid(`${where} has no detector.`);
    for (const id of profile.detectors) model(id, 'detector', 'detector');
    if (profile.landmarks) model(profile.landmarks, 'landmarks', 'landmark model');
    for (const [attribute, answer] of Object.entries(profile.attributes)) {
      if (!answer || answer.models.length === 0) throw invalid(`${where} names no model for ${attribute}.`);
      if (!COMBINE_MODES.includes(answer.combine)) throw invalid(`${where}: ${attribute} combines by "${answer.combine}"; should be one of: ${COMBINE_MODES.join(', ')}.`);
      if (answer.combine === 'alone' && answer.models.length > 1) throw invalid(`${where}: ${attribute} has ${answer.models.length} models; an ensemble needs combine "mean".`);
      for (const id of answer.models) {
        const found = model(id, 'attributes', `${attribute} model`);
        if (!modelTraits(found).provides.includes(attribute as Attribute)) throw invalid(`${where}: "${id}" (${found.kind.id}) does not predict ${attribute}.`);
      }
    }
    this.checkLandmarks(profile, where, name);
    const problem = profile.calibration && calibrationProblem(profile.calibration);
    if (problem) throw invalid(`${where}: ${problem}. Possible fix: run \`faceread calibrate\` again for it.`);
    for (const [id, options] of Object.entries(profile.modelOptions ?? {})) {
      const found = this.findModel(id);
      if (!found) throw invalid(`${where} sets options for "${id}", which it does not use.`);
      for (const [key, value] of Object.entries(options)) {
        const known = found.kind.options?.[key];
        if (!known) throw invalid(`${where}: ${found.kind.id} has no option "${key}"${found.kind.options ? `; it has: ${Object.keys(found.kind.options).join(', ')}` : ''}.`);
        if (known.range) {
          const [min, max] = known.range;
          if (typeof value !== 'number' || !(value >= min && value <= max)) throw invalid(`${where}: option ${key} of ${id} should be a number from ${min} to ${max} (was ${value}).`);
        } else if (!known.values?.includes(value as string | boolean)) {
          throw invalid(`${where}: option ${key} of ${id} should be one of: ${known.values?.join(', ')} (was ${value}).`);
        }
      }
    }
  }

  /** Models that crop faces by their landmarks need them on every face: a landmark model, or detectors that all find them. */
  private checkLandmarks(profile: Profile, where: string, name: string): void {
    if (profile.landmarks) return;
    const blind = profile.detectors.filter((id) => {
      const model = this.findModel(id);
      return !(model && detectorLandmarks(model.kind, model.origin === 'imported' ? model.entry.spec : undefined));
    });
    if (blind.length === 0) return;
    for (const id of attributeModelIds(profile)) {
      const model = this.findModel(id);
      if (!model || !modelTraits(model).needsLandmarks) continue;
      throw invalid(
        `${where}: "${id}" crops faces by their five landmarks, but the profile has no landmark model and ${blind.length === 1 ? `its detector ${blind[0]} finds` : `its detectors ${blind.join(', ')} find`} none. Possible fixes: \`faceread profiles set ${name} --landmarks faceapi-landmarks-68\`; or import the model with crop.method "box".`,
      );
    }
  }
}
