/**
 * `faceread analyze <files | folders | globs>...`: analyses every photo with
 * a bounded number in flight, writes one result per file as it completes
 * (in input order) to stdout or `--output`, ends with a one-line summary on
 * stderr, and exits non-zero if any file failed.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import cliProgress from 'cli-progress';
import { createAnalyzer, type AnalyzerOptions } from '../analyzer.js';
import { isFaceReadError } from '../errors.js';
import type { AnalyzeOptions, Analyzer } from '../types.js';
import { collectInputs, commonFolder } from './collect-inputs.js';
import { createOutputWriter, type FileOutcome, type OutputFormat } from './output-formats.js';
import { RunSummary } from './run-summary.js';

export interface AnalyzeCommandOptions {
  format: OutputFormat;
  /** Write here instead of stdout. */
  output?: string;
  annotate?: string;
  concurrency: number;
  photo: AnalyzeOptions;
  analyzer: AnalyzerOptions;
  /** Show a progress bar (on a terminal with more than a few files). */
  progress: boolean;
}

/**
 * Where the annotated copy of `file` goes: its folders relative to `base` kept under `dir`, so
 * `dup/a/x.jpg` and `dup/b/x.jpg` do not overwrite each other. JPEG and PNG keep their name
 * ("x.annotated.jpg"); other types keep their extension too ("x.webp.annotated.jpg"), so `x.jpg`
 * and `x.webp` do not collide either.
 */
export function annotatedPath(file: string, base: string, dir: string): string {
  const png = /\.png$/i.test(file);
  const { dir: folder, name, ext } = path.parse(path.relative(base, path.resolve(file)));
  const stem = /^\.(jpg|png)$/i.test(ext) ? name : `${name}${ext}`;
  return path.join(dir, folder, `${stem}.annotated.${png ? 'png' : 'jpg'}`);
}

async function analyzeOne(analyzer: Analyzer, file: string, options: AnalyzeCommandOptions, base: string): Promise<FileOutcome> {
  try {
    const result = await analyzer.analyze(file, options.photo);
    if (options.annotate) {
      const { drawOverlay } = await import('../image/draw-overlay.js');
      const { readFile } = await import('node:fs/promises');
      const target = annotatedPath(file, base, options.annotate);
      const out = await drawOverlay(await readFile(file), result, target.endsWith('.png') ? 'png' : 'jpeg');
      await mkdir(path.dirname(target), { recursive: true });
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
  const out: Writable = options.output ? createWriteStream(options.output) : process.stdout;
  // A file that cannot be created fails here, before any photo is analysed.
  if (options.output) await new Promise((resolve, reject) => out.once('open', resolve).once('error', reject));
  const write = async (text: string) => {
    if (text && !out.write(text)) await new Promise((resolve) => out.once('drain', resolve));
  };
  const writer = createOutputWriter(options.format, options.photo.attributes ?? []);
  const summary = new RunSummary();
  const emit = async (outcome: FileOutcome) => {
    summary.add(outcome);
    await write(writer.line(outcome));
  };
  await write(writer.begin());
  for (const arg of unmatched) await emit({ file: arg, error: { code: 'NOT_FOUND', message: `No image file matches ${arg}` } });
  if (options.annotate) await mkdir(options.annotate, { recursive: true });
  const base = commonFolder(files);
  const bar = options.progress && files.length > 3 ? new cliProgress.SingleBar({ stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
  bar?.start(files.length, 0);

  // Results are written in input order; at most `concurrency` photos are in flight.
  const pending: Promise<FileOutcome>[] = [];
  let next = 0;
  const launch = () => {
    if (next < files.length) pending.push(analyzeOne(analyzer, files[next++]!, options, base));
  };
  for (let i = 0; i < options.concurrency; i++) launch();
  for (let written = 0; written < files.length; written++) {
    const outcome = await pending[written]!;
    launch();
    bar?.increment();
    await emit(outcome);
  }
  bar?.stop();
  await write(writer.end());
  if (options.output) {
    out.end();
    await finished(out);
  }
  await analyzer.close();
  process.stderr.write(summary.line());
  return summary.failed > 0 ? 1 : 0;
}
