/**
 * Model profiles: small documents that say which models analyse a photo.
 * A profile has a detector chain (the first detector, then fallbacks that
 * run only when the ones before found nothing), an optional landmark model,
 * and for each attribute the model(s) that answer it and how they combine:
 * `alone` (one model; the default) or `mean` (an ensemble, only where a
 * profile asks for one). Built-in profiles are here; users' profiles live in
 * the store's manifest (saved by imports and `faceread profiles set`) and
 * are checked against the catalogue when resolved (src/models/catalogue.ts).
 *
 * @example
 *   const ids = profileModelIds(BUILT_IN_PROFILES.default!);
 *   // ['faceapi-ssd-mobilenetv1', 'faceapi-landmarks-68', 'faceapi-age-gender']
 */
import type { ModelOptions } from '../pipeline/runner-types.js';
import type { Attribute } from '../types.js';
import { describeCalibration, type ProfileCalibration } from './profile-calibration.js';

export const COMBINE_MODES = ['alone', 'mean'] as const;
export type Combine = (typeof COMBINE_MODES)[number];

/** Who answers one attribute. */
export interface AttributeAnswer {
  models: readonly string[];
  combine: Combine;
}

export interface Profile {
  /** The first detector, then fallbacks (each runs only when the ones before found no face). */
  detectors: readonly string[];
  landmarks?: string;
  attributes: Readonly<Partial<Record<Attribute, AttributeAnswer>>>;
  /** Settings for some of its models' runners (see each kind's `options`). */
  modelOptions?: Readonly<Record<string, ModelOptions>>;
  /** Fitted on a user's labelled photos by `faceread calibrate` (src/models/profile-calibration.ts). */
  calibration?: ProfileCalibration;
}

const alone = (model: string): AttributeAnswer => ({ models: [model], combine: 'alone' });
const bothBy = (model: string) => ({ age: alone(model), gender: alone(model) });

/**
 * SSD (with its border retry), then BlazeFace in a border at >= 0.8 when SSD found nothing: close-ups
 * found 95.3% -> 99.8% on UTKFace dev, no answer changed on the faces SSD finds (docs/accuracy.md).
 */
const SSD_WITH_FALLBACK = ['faceapi-ssd-mobilenetv1', 'human-blazeface-back'];

export const BUILT_IN_PROFILES: Readonly<Record<string, Profile>> = {
  default: { detectors: SSD_WITH_FALLBACK, landmarks: 'faceapi-landmarks-68', attributes: bothBy('faceapi-age-gender') },
  fast: { detectors: ['faceapi-tiny-face-detector'], landmarks: 'faceapi-landmarks-68', attributes: bothBy('faceapi-age-gender') },
  // The best measured on UTKFace/All-Age-Faces test (docs/accuracy.md): face-api's net, with an age range and calibrated gender.
  accurate: { detectors: SSD_WITH_FALLBACK, landmarks: 'faceapi-landmarks-68', attributes: bothBy('faceapi-age-gender-calibrated') },
};

export const DEFAULT_PROFILE = 'default';

export const isBuiltInProfile = (name: string): boolean => Object.hasOwn(BUILT_IN_PROFILES, name);

/** Every model a profile runs, once each: detectors first, then landmarks, then attribute models. */
export function profileModelIds(profile: Profile): string[] {
  return [...new Set([...profile.detectors, ...(profile.landmarks ? [profile.landmarks] : []), ...attributeModelIds(profile)])];
}

/** The attribute models a profile runs, once each (a model answering age and gender runs once). */
export function attributeModelIds(profile: Profile): string[] {
  return [...new Set(Object.values(profile.attributes).flatMap((answer) => answer?.models ?? []))];
}

/** One line: `detectors a > b; landmarks c; age d; gender d (mean of e, f)`. */
export function describeProfile(profile: Profile): string {
  const answers = Object.entries(profile.attributes).map(([attribute, answer]) =>
    answer!.combine === 'alone' ? `${attribute} ${answer!.models[0]}` : `${attribute} ${answer!.combine} of ${answer!.models.join(', ')}`,
  );
  const options = Object.entries(profile.modelOptions ?? {}).map(
    ([id, options]) => `${id} ${Object.entries(options).map(([key, value]) => `${key}=${value}`).join(',')}`,
  );
  return [
    `detectors ${profile.detectors.join(' > ')}`,
    ...(profile.landmarks ? [`landmarks ${profile.landmarks}`] : []),
    ...answers,
    ...(options.length > 0 ? [`options ${options.join('; ')}`] : []),
    ...(profile.calibration ? [describeCalibration(profile.calibration)] : []),
  ].join('; ');
}

/** How profiles were saved before 2026-12 (imports): one detector, attribute models in answer order. */
export interface SavedProfileV0 {
  detector: string;
  landmarks?: string;
  attributes: readonly string[];
}

/**
 * A profile as read from a manifest, in today's shape. Older manifests saved `{detector,
 * attributes: [ids]}`, where the first model providing an attribute answered for it (imported
 * models were listed first): it becomes that model, alone.
 */
export function upgradeSavedProfile(saved: Profile | SavedProfileV0, providesOf: (id: string) => readonly Attribute[]): Profile {
  if (!('detector' in saved)) return saved;
  const attributes: Partial<Record<Attribute, AttributeAnswer>> = {};
  for (const id of saved.attributes) for (const attribute of providesOf(id)) attributes[attribute] ??= alone(id);
  return { detectors: [saved.detector], ...(saved.landmarks ? { landmarks: saved.landmarks } : {}), attributes };
}
