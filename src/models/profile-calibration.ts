/**
 * The `calibration` part of a profile document: what `faceread calibrate`
 * fitted on a user's labelled photos (a monotone age map, an age range for
 * a stated coverage, Platt scaling of the gender probability) and where it
 * came from. No photo is kept: only the folder, the counts, the date, a
 * hash of the labels and the held-out figures. The resolver
 * (src/models/prepare.ts) hands the fitted numbers to the analyzer, which
 * applies them when it assembles each result (src/pipeline/assemble-result.ts).
 */
import type { AgeRangeBand, AttributeCalibration } from '../pipeline/attributes/attribute-calibration.js';

/** Held-out figures as saved with the calibration (the full tables are printed by `faceread calibrate`). */
export interface CalibrationFigures {
  ageMae: number;
  genderAccuracy: number;
  genderEce?: number;
  rangeCoverage?: number;
  rangeMeanWidth?: number;
}

export interface CalibrationSource {
  /** `kind:folder` of the labelled photos (the folder absolute). */
  dataset: string;
  /** Which part of the data set was read: all of it, or its dev or test half. */
  split: 'all' | 'dev' | 'test';
  /** Labelled photos read, and how they were divided. */
  photos: number;
  fitPhotos: number;
  heldOutPhotos: number;
  /** When it was fitted (ISO 8601). */
  fittedAt: string;
  /** sha256 of the labels read: one `name,age,gender` line per photo, sorted by name. */
  labelsSha256: string;
  /** The profile whose answers were calibrated (its models are this profile's). */
  base: string;
  heldOut: { before: CalibrationFigures; after: CalibrationFigures };
  /** Saved with --force although the held-out part got worse. */
  forced?: boolean;
}

export interface ProfileCalibration extends AttributeCalibration {
  /** Share of faces the age range is meant to hold (e.g. 0.8). */
  coverage: number;
  source: CalibrationSource;
}

/** What the analyzer applies: the fitted numbers and the profile they belong to (named in each result). */
export interface AppliedCalibration extends AttributeCalibration {
  profile: string;
}

/** JSON has no Infinity: the last range band's `below` is saved as null and read back as Infinity. */
const openEnded = (band: AgeRangeBand): AgeRangeBand => ((band.below as number | null) === null ? { ...band, below: Infinity } : band);

export const appliedCalibration = (profile: string, { age, ageRange, gender }: ProfileCalibration): AppliedCalibration => ({
  profile,
  ...(age ? { age } : {}),
  ...(ageRange ? { ageRange: ageRange.map(openEnded) } : {}),
  ...(gender ? { gender } : {}),
});

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Why a stored calibration cannot be applied (a hand-edited or damaged manifest), or undefined when it can. */
export function calibrationProblem(calibration: ProfileCalibration): string | undefined {
  const { age, ageRange, gender, coverage } = calibration;
  if (age) {
    if (!Array.isArray(age.from) || !Array.isArray(age.to) || age.from.length === 0 || age.from.length !== age.to.length) return 'its age map needs as many `to` as `from` knots, at least one';
    if (![...age.from, ...age.to].every(finite)) return 'its age map has a knot that is not a number';
    if (age.from.some((x, i) => i > 0 && x <= age.from[i - 1]!)) return 'its age map\'s `from` knots are not increasing';
    if (age.to.some((y, i) => i > 0 && y < age.to[i - 1]!)) return 'its age map is not monotone (`to` decreases)';
  }
  if (ageRange) {
    const bands: readonly AgeRangeBand[] = ageRange;
    if (!Array.isArray(bands) || bands.length === 0) return 'its age range has no bands';
    if (!bands.every((b) => (finite(b.below) || b.below === Infinity || (b.below as number | null) === null) && finite(b.low) && finite(b.high) && b.low <= b.high)) return 'an age range band needs numbers below, low <= high';
  }
  if (gender && !(finite(gender.scale) && finite(gender.shift))) return 'its gender scaling needs numbers scale and shift';
  if (!(finite(coverage) && coverage > 0 && coverage < 1)) return `its coverage should be between 0 and 1 (was ${coverage})`;
  return undefined;
}

const figure = (x: number | undefined, digits: number, scale = 1) => (x === undefined ? 'n/a' : (scale * x).toFixed(digits));

/**
 * One line of provenance for `models list` and `profiles show`.
 *
 * @example describeCalibration(profile.calibration) // 'calibrated on 1,050 of 1,500 photos of aaf:/data/aaf (dev) on 2026-12-02, labels sha256 3f2a9c1e…; held out 450: age MAE 6.9 -> 5.8, ...'
 */
export function describeCalibration({ coverage, source }: ProfileCalibration): string {
  const { before, after } = source.heldOut;
  return [
    `calibrated from ${source.base} on ${source.fitPhotos} of ${source.photos} photos of ${source.dataset}${source.split === 'all' ? '' : ` (${source.split} half)`} on ${source.fittedAt.slice(0, 10)}, labels sha256 ${source.labelsSha256.slice(0, 12)}…`,
    `held out ${source.heldOutPhotos}: age MAE ${figure(before.ageMae, 2)} -> ${figure(after.ageMae, 2)}, gender ${figure(before.genderAccuracy, 1, 100)}% -> ${figure(after.genderAccuracy, 1, 100)}%, ECE ${figure(before.genderEce, 3)} -> ${figure(after.genderEce, 3)}, ${Math.round(coverage * 100)}% range covers ${figure(after.rangeCoverage, 1, 100)}% (mean width ${figure(after.rangeMeanWidth, 1)} y)${source.forced ? ', saved with --force' : ''}`,
  ].join('; ');
}
