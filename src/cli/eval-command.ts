/**
 * `faceread eval --dataset <kind>:<path>`: measures a model profile on a
 * labelled data set (UTKFace, All-Age-Faces or WIDER FACE shaped folders,
 * see src/eval/datasets) and prints Markdown tables, optionally writing
 * them and a JSON file with every sample's outcome.
 */
import { writeFile } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ANALYZER_DEFAULTS } from '../analyzer.js';
import { DATASET_KINDS, parseDatasetSpec } from '../eval/datasets/open-dataset.js';
import { DEFAULT_PROFILE } from '../models/profiles.js';
import { defaultStoreDir } from '../models/store.js';
import { precisionOption } from './precision-option.js';

/** `--x <n>`: an integer from min to max (also used by `calibrate`). */
export function integerArgument(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`Expected an integer between ${min} and ${max} but received '${value}'.`);
    return n;
  };
}

/** `--dataset <kind>:<path>`, checked as the option is read (also used by `calibrate`). */
export function datasetArgument(value: string): string {
  try {
    parseDatasetSpec(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
  return value;
}

function padList(value: string): number[] {
  const pads = value.split(',').map((v) => Number(v.trim()));
  if (pads.some((p) => !(p >= 0 && p <= 2))) throw new InvalidArgumentError(`Expected comma-separated border fractions between 0 and 2 (e.g. 0,0.25) but received '${value}'.`);
  return pads;
}

function progressReporter(enabled: boolean) {
  if (!enabled) {
    let lastTenth = -1;
    return {
      update: (label: string, done: number, total: number) => {
        const tenth = Math.floor((10 * done) / total);
        if (tenth !== lastTenth) (lastTenth = tenth), process.stderr.write(`eval ${label}: ${done}/${total}\n`);
      },
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar({ stream: process.stderr, hideCursor: true, format: '{label} [{bar}] {value}/{total} {eta_formatted}' }, cliProgress.Presets.shades_classic);
  let started = '';
  return {
    update: (label: string, done: number, total: number) => {
      if (started !== label) (started && bar.stop(), bar.start(total, 0, { label }), (started = label));
      bar.update(done, { label });
    },
    stop: () => started && bar.stop(),
  };
}

/** Adds `eval` to the program. */
export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description('measure a model profile on a labelled data set (age, gender or face detection)')
    .requiredOption('--dataset <kind:path>', `data set: ${DATASET_KINDS.join(', ')} followed by a colon and its folder`, datasetArgument)
    .addOption(new Option('--split <split>', 'dev (for choosing and fitting), test (for reporting) or all').choices(['dev', 'test', 'all']).default('test'))
    .option('--limit <n>', 'at most this many samples, spread evenly over the split', integerArgument(1, 1_000_000))
    .option('--pad <fractions>', 'border added around each photo, as a fraction of its longer side; a list runs once each (0 = as is)', padList, [0])
    .option('--report <file>', 'also write the Markdown report here')
    .option('--json <file>', 'write the report and every sample outcome as JSON here')
    .option('--concurrency <n>', 'photos in flight', integerArgument(1, 256), 8)
    .option('--pool-size <n>', 'worker threads', integerArgument(1, 64), ANALYZER_DEFAULTS.poolSize)
    .option('--threads <n>', 'onnxruntime threads per worker', integerArgument(1, 64), ANALYZER_DEFAULTS.intraOpThreads)
    .addOption(new Option('--models <profile>', 'model profile').default(DEFAULT_PROFILE))
    .addOption(precisionOption(ANALYZER_DEFAULTS.precision))
    .addOption(new Option('--model-dir <dir>', 'model store folder (env FACEREAD_MODEL_DIR)').default(defaultStoreDir()))
    .action(async (o) => {
      const progress = progressReporter(Boolean(process.stderr.isTTY));
      // Loaded when the command runs, not at every start of the CLI.
      const { evaluateDataset } = await import('../eval/evaluate-dataset.js');
      const { reportMarkdown } = await import('../eval/report/eval-report.js');
      const { report, outcomes } = await evaluateDataset({
        dataset: o.dataset,
        split: o.split,
        limit: o.limit,
        pads: o.pad,
        concurrency: o.concurrency,
        analyzer: { profile: o.models, modelDir: o.modelDir, poolSize: o.poolSize, intraOpThreads: o.threads, precision: o.precision, log: (m: string) => /convert/i.test(m) && console.error(m) },
        onProgress: progress.update,
      });
      progress.stop();
      const markdown = reportMarkdown(report);
      process.stdout.write(`${markdown}\n`);
      if (o.report) await writeFile(o.report, `${markdown}\n`);
      if (o.json) await writeFile(o.json, `${JSON.stringify({ ...report, outcomes }, null, 1)}\n`);
    });
}
