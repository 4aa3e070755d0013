/**
 * One evaluation end to end: read the data set, take one side of the
 * split (and an evenly spread subset with `limit`), run the profile on it
 * once per padding, and compute the metrics into an `EvalReport`.
 */
import type { AnalyzerOptions } from '../analyzer.js';
import { openDataset } from './datasets/open-dataset.js';
import { attributeReport } from './metrics/attribute-metrics.js';
import { detectionReport } from './metrics/detection-metrics.js';
import type { EvalReport, EvalVariant } from './report/eval-report.js';
import { runAttributeEvaluation, runDetectionEvaluation, type NamedAttributeOutcome, type NamedDetectionOutcome } from './run-evaluation.js';
import { selectSplit, spreadSubset, type SplitName } from './split.js';

export interface EvaluateOptions {
  dataset: string;
  split: SplitName;
  limit?: number;
  /** One run per entry: 0 as is, else a border of that fraction of the longer side. */
  pads: number[];
  analyzer: AnalyzerOptions & { profile: string };
  concurrency: number;
  onProgress?: (label: string, done: number, total: number) => void;
}

/** The report plus each sample's outcome per variant (for the JSON file and later study). */
export interface EvaluationResult {
  report: EvalReport;
  outcomes: (NamedAttributeOutcome[] | NamedDetectionOutcome[])[];
}

const NOTES = [
  'Split: a hash of the person (All-Age-Faces) or the photo (UTKFace, WIDER) puts half the data in `dev`, half in `test`; models, margins, ensemble weights and calibrations are chosen and fitted on `dev` only, and `test` only reports.',
  'A face the detector misses is an error: wrong gender, age charged as 30 years, outside every bucket.',
];

/**
 * @example
 *   const { report } = await evaluateDataset({ dataset: 'utkface:../shared/data/utkface', split: 'test', limit: 200, pads: [0, 0.25], analyzer: { profile: 'default' }, concurrency: 4 });
 *   console.log(reportMarkdown(report));
 */
export async function evaluateDataset(options: EvaluateOptions): Promise<EvaluationResult> {
  const dataset = await openDataset(options.dataset);
  const variants: EvalVariant[] = [];
  const outcomes: EvaluationResult['outcomes'] = [];
  let count = 0;
  for (const pad of options.pads) {
    const settings = {
      analyzer: options.analyzer,
      pad,
      concurrency: options.concurrency,
      onProgress: (done: number, total: number) => options.onProgress?.(pad > 0 ? `padded ${pad}` : 'as is', done, total),
    };
    if (dataset.task === 'attributes') {
      const samples = spreadSubset(selectSplit(dataset.samples, options.split), options.limit);
      count = samples.length;
      const run = await runAttributeEvaluation(samples, settings);
      variants.push({ pad, models: run.models, timing: run.timing, failures: run.failures.length, attributes: attributeReport(run.outcomes) });
      outcomes.push(run.outcomes);
    } else {
      const samples = spreadSubset(selectSplit(dataset.samples, options.split), options.limit);
      count = samples.length;
      const run = await runDetectionEvaluation(samples, settings);
      variants.push({ pad, models: run.models, timing: run.timing, failures: run.failures.length, detection: detectionReport(run.outcomes) });
      outcomes.push(run.outcomes);
    }
  }
  const report: EvalReport = {
    dataset: { kind: dataset.kind, root: dataset.root, split: options.split, samples: count, ...(options.limit ? { limit: options.limit } : {}) },
    profile: options.analyzer.profile,
    createdAt: new Date().toISOString(),
    variants,
    notes: dataset.task === 'attributes' ? NOTES : NOTES.slice(0, 1).concat('Detection: AP at IoU 0.5 over faces of at least 16 px (smaller and invalid ones are ignored); sizes by the box\'s larger side.'),
  };
  return { report, outcomes };
}
