/**
 * `faceread calibrate` end to end, as a library call: read a labelled data
 * set (the layouts `faceread eval` reads), take one part of it, divide it
 * into a fit part and a held-out part (by person where the layout names
 * persons), run the base profile once over both without any calibration of
 * its own, fit on the fit part, and compare the base with the calibrated
 * answers on the held-out part. Saving is the caller's choice
 * (saveCalibratedProfile), once the comparison allows it.
 */
import { createHash } from 'node:crypto';
import type { AnalyzerOptions } from '../analyzer.js';
import type { AttributeSample } from '../eval/datasets/dataset-types.js';
import { openDataset } from '../eval/datasets/open-dataset.js';
import type { AttributeMetrics } from '../eval/metrics/attribute-metrics.js';
import { runAttributeEvaluation, type NamedAttributeOutcome } from '../eval/run-evaluation.js';
import { holdOut, selectSplit, type SplitName } from '../eval/split.js';
import { Catalogue } from '../models/catalogue.js';
import type { CalibrationFigures, ProfileCalibration } from '../models/profile-calibration.js';
import { appliedCalibration } from '../models/profile-calibration.js';
import { ModelStore, defaultStoreDir } from '../models/store.js';
import { applyCalibration, checkDataMinimums, DATA_MINIMUMS, fitCalibration, type DataMinimums } from './fit-calibration.js';
import { compareHeldOut, type HeldOutComparison } from './held-out-check.js';

export interface CalibrateOptions {
  /** `kind:folder`, as for `faceread eval`. */
  dataset: string;
  /** The part of the data set to use (default all). */
  split?: SplitName;
  /** Share of persons (photos where the layout names none) held out for the check; default 0.3. */
  holdout?: number;
  /** Share of faces the age range is meant to hold; default 0.8. */
  coverage?: number;
  /** The profile to calibrate, with the analyzer's settings. */
  analyzer: AnalyzerOptions & { profile: string };
  concurrency?: number;
  /** Data minimums (tests lower them; see the README). */
  minimums?: DataMinimums;
  /** Outcomes of an earlier uncalibrated run of the same profile over these photos, by name (skips the run). */
  outcomes?: readonly NamedAttributeOutcome[];
  onProgress?: (done: number, total: number) => void;
}

export interface CalibrationRun {
  calibration: ProfileCalibration;
  comparison: HeldOutComparison;
  /** Every photo's uncalibrated outcome (for reuse and study). */
  outcomes: NamedAttributeOutcome[];
}

/** sha256 over one `name,age,gender` line per photo, sorted by name: the same labels give the same hash in any layout. */
export function labelsSha256(samples: readonly Pick<AttributeSample, 'name' | 'age' | 'gender'>[]): string {
  const lines = samples.map((s) => `${s.name},${s.age},${s.gender}\n`).sort();
  return createHash('sha256').update(lines.join('')).digest('hex');
}

const figures = (m: AttributeMetrics): CalibrationFigures => ({
  ageMae: m.ageMae,
  genderAccuracy: m.genderAccuracy,
  ...(m.genderEce !== undefined ? { genderEce: m.genderEce } : {}),
  ...(m.rangeCoverage !== undefined ? { rangeCoverage: m.rangeCoverage } : {}),
  ...(m.rangeMeanWidth !== undefined ? { rangeMeanWidth: m.rangeMeanWidth } : {}),
});

/**
 * @example
 *   const run = await runCalibration({ dataset: 'aaf:../shared/data/aaf', split: 'dev', analyzer: { profile: 'default' } });
 *   if (run.comparison.worse.length === 0) await saveCalibratedProfile(store, 'aaf', 'default', run.calibration);
 */
export async function runCalibration(options: CalibrateOptions): Promise<CalibrationRun> {
  const split = options.split ?? 'all';
  const holdout = options.holdout ?? 0.3;
  const coverage = options.coverage ?? 0.8;
  const dataset = await openDataset(options.dataset);
  if (dataset.task !== 'attributes') throw new RangeError(`Expected a data set labelled with ages and genders (utkface or aaf layout) but received ${dataset.kind}, a detection data set`);
  const samples = selectSplit(dataset.samples, split);
  const { fit, heldOut } = holdOut(samples, holdout);
  checkDataMinimums(samples.length, fit.map((s) => s.age), options.minimums ?? DATA_MINIMUMS, 1 - holdout);
  if (heldOut.length === 0) throw new RangeError(`Expected some photos in the held-out part but --holdout ${holdout} left none of ${samples.length}; raise it`);

  // The base profile's own calibration (if it has one) is the "before"; the fit reads its uncalibrated answers.
  const store = new ModelStore(options.analyzer.modelDir ?? defaultStoreDir());
  const base = (await Catalogue.open(store)).profile(options.analyzer.profile);
  const baseCalibration = base.calibration && appliedCalibration(options.analyzer.profile, base.calibration);

  let outcomes: NamedAttributeOutcome[];
  if (options.outcomes) {
    const byName = new Map(options.outcomes.map((o) => [o.name, o]));
    outcomes = samples.map((s) => {
      const found = byName.get(s.name);
      if (!found) throw new RangeError(`Expected an earlier outcome for every photo but ${s.name} has none`);
      return found;
    });
  } else {
    const run = await runAttributeEvaluation(samples, {
      analyzer: { ...options.analyzer, uncalibrated: true },
      pad: 0,
      concurrency: options.concurrency ?? 8,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    outcomes = run.outcomes;
  }
  const heldOutNames = new Set(heldOut.map((s) => s.name));
  const fitOutcomes = outcomes.filter((o) => !heldOutNames.has(o.name));
  const heldOutOutcomes = outcomes.filter((o) => heldOutNames.has(o.name));

  const fitted = fitCalibration(fitOutcomes, { coverage });
  const comparison = compareHeldOut(applyCalibration(heldOutOutcomes, baseCalibration), applyCalibration(heldOutOutcomes, fitted));
  const calibration: ProfileCalibration = {
    ...fitted,
    coverage,
    source: {
      dataset: `${dataset.kind}:${dataset.root}`,
      split,
      photos: samples.length,
      fitPhotos: fit.length,
      heldOutPhotos: heldOut.length,
      fittedAt: new Date().toISOString(),
      labelsSha256: labelsSha256(samples),
      base: options.analyzer.profile,
      heldOut: { before: figures(comparison.before.overall), after: figures(comparison.after.overall) },
    },
  };
  return { calibration, comparison, outcomes };
}
