/**
 * `faceread analyze <files | folders | globs>...`: analyses every photo with
 * a bounded number in flight, writes one result per file as it completes
 * (in input order), and exits non-zero if any file failed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { createAnalyzer, type AnalyzerOptions } from '../analyzer.js';
import { isFaceReadError } from '../errors.js';
import type { AnalyzeOptions, Analyzer } from '../types.js';
import { collectInputs } from './collect-inputs.js';
import { createOutputWriter, type FileOutcome, type OutputFormat } from './output-formats.js';

export interface AnalyzeCommandOptions {
  format: OutputFormat;
  annotate?: string;
  concurrency: number;
  photo: AnalyzeOptions;
  analyzer: AnalyzerOptions;
  /** Show a progress bar (on a terminal with more than a few files). */
  progress: boolean;
}

async function analyzeOne(analyzer: Analyzer, file: string, options: AnalyzeCommandOptions): Promise<FileOutcome> {
  try {
    const result = await analyzer.analyze(file, options.photo);
    if (options.annotate) {
      const { drawOverlay } = await import('../image/draw-overlay.js');
      const { readFile } = await import('node:fs/promises');
      const png = /\.png$/i.test(file);
      const out = await drawOverlay(await readFile(file), result, png ? 'png' : 'jpeg');
      const target = path.join(options.annotate, `${path.parse(file).name}.annotated.${png ? 'png' : 'jpg'}`);
      await writeFile(target, out);
    }
    return { file, result };
  } catch (error) {
    const shown = isFaceReadError(error) ? error.toJSON() : { code: 'INTERNAL_ERROR', message: (error as Error).message };
    return { file, error: shown };
  }
}

/** Runs the command; resolves to the process exit code (0 all good, 1 some file failed). */
export async function runAnalyzeCommand(inputs: string[], options: AnalyzeCommandOptions): Promise<number> {
  // Created first so a bad profile or store is a usage error before any output.
  const analyzer = await createAnalyzer(options.analyzer);
  const { files, unmatched } = await collectInputs(inputs);
  const writer = createOutputWriter(options.format);
  process.stdout.write(writer.begin());
  let failed = 0;
  for (const arg of unmatched) {
    failed++;
    process.stdout.write(writer.line({ file: arg, error: { code: 'NOT_FOUND', message: `No image file matches ${arg}` } }));
  }
  if (options.annotate) await mkdir(options.annotate, { recursive: true });
  const bar = options.progress && files.length > 3 ? new cliProgress.SingleBar({ stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
  bar?.start(files.length, 0);

  // Results are written in input order; at most `concurrency` photos are in flight.
  const pending: Promise<FileOutcome>[] = [];
  let next = 0;
  const launch = () => {
    if (next < files.length) pending.push(analyzeOne(analyzer, files[next++]!, options));
  };
  for (let i = 0; i < options.concurrency; i++) launch();
  for (let written = 0; written < files.length; written++) {
    const outcome = await pending[written]!;
    launch();
    if ('error' in outcome) failed++;
    bar?.increment();
    process.stdout.write(writer.line(outcome));
  }
  bar?.stop();
  process.stdout.write(writer.end());
  await analyzer.close();
  return failed > 0 ? 1 : 0;
}
