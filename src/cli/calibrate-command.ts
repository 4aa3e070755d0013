/**
 * `faceread calibrate --dataset <kind>:<folder> --models <base> --name <new>`:
 * fits a profile's answers to a user's labelled photos (src/calibrate),
 * prints before/after figures on the held-out part, and saves the new
 * profile unless the calibration made the held-out part worse (then it
 * exits 1 with the figures, unless --force).
 */
import { writeFile } from 'node:fs/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ANALYZER_DEFAULTS } from '../analyzer.js';
import { DATA_MINIMUMS } from '../calibrate/fit-calibration.js';
import type { HeldOutComparison } from '../calibrate/held-out-check.js';
import { DATASET_KINDS } from '../eval/datasets/open-dataset.js';
import { AGE_BANDS, type AttributeMetrics } from '../eval/metrics/attribute-metrics.js';
import { DEFAULT_PROFILE } from '../models/profiles.js';
import { checkProfileName } from '../models/saved-profiles.js';
import { ModelStore, defaultStoreDir } from '../models/store.js';
import { datasetArgument, integerArgument } from './eval-command.js';
import { precisionOption } from './precision-option.js';

function between(min: number, max: number, what: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !(n > min && n < max)) throw new InvalidArgumentError(`Expected ${what} between ${min} and ${max} (exclusive) but received '${value}'.`);
    return n;
  };
}

function profileName(value: string): string {
  try {
    return checkProfileName(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

const cell = (x: number | undefined, digits: number, percent = false) => (x === undefined || Number.isNaN(x) ? 'n/a' : percent ? `${(100 * x).toFixed(digits)}%` : x.toFixed(digits));

/** The before/after table of the held-out part, in Markdown. */
export function comparisonMarkdown(comparison: HeldOutComparison, coverage: number): string {
  const { before, after } = comparison;
  const row = (label: string, pick: (m: AttributeMetrics) => number | undefined, digits: number, percent = false) =>
    `| ${label} | ${cell(pick(before.overall), digits, percent)} | ${cell(pick(after.overall), digits, percent)} |`;
  const bandRows = AGE_BANDS.filter((band) => before.byBand[band.label].faces > 0).map(
    (band) => `| age MAE, aged ${band.label} (${before.byBand[band.label].faces}) | ${cell(before.byBand[band.label].ageMae, 2)} | ${cell(after.byBand[band.label].ageMae, 2)} |`,
  );
  return [
    `| held out: ${before.overall.faces} photos (${before.overall.detected} faces found) | base | calibrated |`,
    '| --- | ---: | ---: |',
    row('age MAE (years)', (m) => m.ageMae, 2),
    ...bandRows,
    row('age bias (years, + = too old)', (m) => m.ageBias, 2),
    row('gender accuracy', (m) => m.genderAccuracy, 1, true),
    row('gender ECE', (m) => m.genderEce, 3),
    row(`age range coverage (stated ${Math.round(coverage * 100)}%)`, (m) => m.rangeCoverage, 1, true),
    row('age range mean width (years)', (m) => m.rangeMeanWidth, 1),
  ].join('\n');
}

/** Adds `calibrate` to the program. */
export function registerCalibrateCommand(program: Command): void {
  program
    .command('calibrate')
    .description("fit a profile's ages, age ranges and gender probabilities to your labelled photos and save it as a new profile")
    .requiredOption('--dataset <kind:path>', `labelled photos: ${DATASET_KINDS.filter((k) => k !== 'wider').join(' or ')} layout, a colon and the folder (a folder with labels.csv of file,age,gender reads as utkface)`, datasetArgument)
    .requiredOption('--name <profile>', 'name of the new profile', profileName)
    .addOption(new Option('--models <profile>', 'the profile to calibrate').default(DEFAULT_PROFILE))
    .option('--holdout <fraction>', 'share of persons (photos, where the layout names none) kept out of the fit to check it', between(0, 1, 'a fraction'), 0.3)
    .option('--coverage <fraction>', 'share of faces the age range should hold', between(0, 1, 'a fraction'), 0.8)
    .addOption(new Option('--split <split>', 'part of the data set to use: all, or its dev or test half (as `faceread eval` splits it)').choices(['all', 'dev', 'test']).default('all'))
    .option('--force', 'save even when the held-out part got worse')
    .option('--json <file>', 'write the figures, the calibration and every photo\'s uncalibrated outcome as JSON here')
    .option('--concurrency <n>', 'photos in flight', integerArgument(1, 256), 8)
    .option('--pool-size <n>', 'worker threads', integerArgument(1, 64), ANALYZER_DEFAULTS.poolSize)
    .option('--threads <n>', 'onnxruntime threads per worker', integerArgument(1, 64), ANALYZER_DEFAULTS.intraOpThreads)
    .addOption(precisionOption(ANALYZER_DEFAULTS.precision))
    .addOption(new Option('--model-dir <dir>', 'model store folder (env FACEREAD_MODEL_DIR)').default(defaultStoreDir()))
    // For tests and trials on a handful of photos only (README: "Calibrating"); the figures mean little below the defaults.
    .addOption(new Option('--min-photos <n>').argParser(integerArgument(1, 1_000_000)).default(DATA_MINIMUMS.photos).hideHelp())
    .addOption(new Option('--min-per-band <n>').argParser(integerArgument(1, 1_000_000)).default(DATA_MINIMUMS.perBand).hideHelp())
    .action(async (o) => {
      let lastTenth = -1;
      // Loaded when the command runs: the evaluation and fitting modules are most of the CLI's start.
      const { runCalibration } = await import('../calibrate/run-calibration.js');
      const run = await runCalibration({
        dataset: o.dataset,
        split: o.split,
        holdout: o.holdout,
        coverage: o.coverage,
        concurrency: o.concurrency,
        minimums: { photos: o.minPhotos, perBand: o.minPerBand },
        analyzer: { profile: o.models, modelDir: o.modelDir, poolSize: o.poolSize, intraOpThreads: o.threads, precision: o.precision, log: (m: string) => /convert/i.test(m) && console.error(m) },
        onProgress: (done, total) => {
          const tenth = Math.floor((10 * done) / total);
          if (tenth !== lastTenth) (lastTenth = tenth), process.stderr.write(`calibrate: ${done}/${total} photos\n`);
        },
      });
      const { calibration, comparison } = run;
      const { source } = calibration;
      process.stdout.write(`Calibrating ${source.base} on ${source.fitPhotos} photos, checking on ${source.heldOutPhotos} held out.\n\n${comparisonMarkdown(comparison, calibration.coverage)}\n\n`);
      if (o.json) await writeFile(o.json, `${JSON.stringify({ calibration, comparison, outcomes: run.outcomes }, null, 1)}\n`);
      if (comparison.worse.length > 0 && !o.force) {
        process.stderr.write(`faceread: not saved: on the held-out part the calibration is worse than ${source.base}: ${comparison.worse.join('; ')}. Add labelled photos, or save it anyway with --force.\n`);
        process.exitCode = 1;
        return;
      }
      if (comparison.worse.length > 0) calibration.source.forced = true;
      const { saveCalibratedProfile } = await import('../models/saved-profiles.js');
      await saveCalibratedProfile(new ModelStore(o.modelDir), o.name, o.models, calibration);
      process.stdout.write(`Saved profile ${o.name} in ${o.modelDir}: use it with --models ${o.name} (or FACEREAD_PROFILE=${o.name}, ?models=${o.name}).\n`);
    });
}
