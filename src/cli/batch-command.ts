/**
 * `faceread batch submit | status | export | list | remove`: distributed batch
 * analysis on a BullMQ queue in Redis. `submit` enqueues one job per photo,
 * `faceread worker` processes (see worker-command.ts), `status` shows
 * progress and `export` writes the results as `faceread analyze` does.
 * BullMQ and ioredis load only when a batch command runs (they add ~0.3 s
 * to every start of the CLI otherwise).
 */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { BatchOutcome } from '../batch/batch-export.js';
import { collectBatchKeys, defaultBatchName } from '../batch/batch-inputs.js';
import { validateBatchName } from '../batch/batch-names.js';
import type { BatchHandle } from '../batch/batch-queue.js';
import { listBatches, unregisterBatch } from '../batch/batch-registry.js';
import { formatStatus, readBatchStatus, type BatchStatus } from '../batch/batch-status.js';
import { validateRedisUrl } from '../batch/redis-url.js';
import { FaceReadError } from '../errors.js';
import type { Attribute } from '../types.js';
import { attributesOption } from './attributes-option.js';
import { createOutputWriter, formatForFile, type FileOutcome } from './output-formats.js';

/** An integer option parser for commander, worded like the rest of the CLI. */
export function integerArgument(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`Expected an integer between ${min} and ${max} but received '${value}'.`);
    return n;
  };
}

/** `--redis <url>`, mandatory, or FACEREAD_REDIS_URL. */
export function redisOption(): Option {
  return new Option('--redis <url>', 'Redis URL, e.g. redis://127.0.0.1:6379').env('FACEREAD_REDIS_URL').makeOptionMandatory()
    .argParser((value: string) => {
      try {
        return validateRedisUrl(value);
      } catch (error) {
        throw new InvalidArgumentError((error as Error).message);
      }
    });
}

function batchName(value: string): string {
  try {
    return validateBatchName(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

interface SubmitFlags { redis: string; name?: string; root?: string; list?: string[]; attempts: number; backoff: number; json?: boolean; attributes?: Attribute[] }

async function runSubmit(inputs: string[], o: SubmitFlags): Promise<number> {
  if (inputs.length === 0 && !o.list?.length) throw new FaceReadError('INVALID_OPTION', 'Give files, folders, globs or --list <file> to submit.');
  const { keys, unmatched } = await collectBatchKeys(inputs, { ...(o.list ? { lists: o.list } : {}), ...(o.root !== undefined ? { root: o.root } : {}) });
  // Nothing is enqueued when an argument is wrong: the user fixes it and submits the whole set.
  if (unmatched.length > 0) throw new FaceReadError('NOT_FOUND', `No image file matches ${unmatched.join(', ')}; nothing was submitted.`);
  if (keys.length === 0) throw new FaceReadError('NOT_FOUND', 'The lists hold no photo keys; nothing was submitted.');
  const name = o.name ?? defaultBatchName(inputs.length ? inputs : o.list!, keys);
  const bar = process.stderr.isTTY && keys.length > 1000 ? new cliProgress.SingleBar({ stream: process.stderr, format: 'submitting {bar} {value}/{total}' }, cliProgress.Presets.shades_classic) : undefined;
  bar?.start(keys.length, 0);
  const { submitBatch } = await import('../batch/submit-batch.js');
  const result = await submitBatch({
    redisUrl: o.redis, name, keys, attempts: o.attempts, backoffMs: o.backoff,
    ...(o.root !== undefined ? { root: o.root } : {}),
    ...(o.attributes ? { attributes: o.attributes } : {}),
    onProgress: (sent) => bar?.update(sent),
  });
  bar?.stop();
  if (o.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    process.stdout.write(`batch ${result.name}: ${result.submitted} photos submitted, ${result.added} added, ${result.total} in the batch\n`);
    process.stderr.write(`start workers with: faceread worker --redis <url>\nfollow with: faceread batch status ${result.name} --watch\n`);
  }
  return 0;
}

async function withBatch<T>(redisUrl: string, name: string, run: (batch: BatchHandle) => Promise<T>): Promise<T> {
  const { openBatch } = await import('../batch/batch-queue.js');
  const batch = await openBatch(redisUrl, name, { mustExist: true });
  try {
    return await run(batch);
  } finally {
    await batch.close();
  }
}

function statusBar(): { update(status: BatchStatus): void; stop(): void } {
  const bar = new cliProgress.SingleBar({
    stream: process.stdout,
    hideCursor: true,
    format: '{name} {bar} {percentage}% | {value}/{total} | done {done} failed {failed} active {active} | {rate} photos/s | eta {eta_text}',
  }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(s) {
      const payload = {
        name: s.name, done: s.done, failed: s.failed, active: s.active,
        rate: s.ratePerSecond === null ? '-' : s.ratePerSecond.toFixed(1),
        eta_text: s.finished ? '0s' : s.etaSeconds === null ? '?' : `${Math.round(s.etaSeconds)}s`,
      };
      if (!started) bar.start(s.total, s.done + s.failed, payload);
      else { bar.setTotal(s.total); bar.update(s.done + s.failed, payload); }
      started = true;
    },
    stop: () => bar.stop(),
  };
}

async function runStatus(name: string, o: { redis: string; watch?: boolean; json?: boolean; interval: number }): Promise<number> {
  return withBatch(o.redis, name, async (batch) => {
    const bar = process.stdout.isTTY && !o.json ? statusBar() : undefined;
    for (;;) {
      const status = await readBatchStatus(batch);
      if (o.json) process.stdout.write(`${JSON.stringify(status)}\n`);
      else if (bar) bar.update(status);
      else process.stdout.write(formatStatus(status));
      if (!o.watch || status.finished) break;
      await new Promise((resolve) => setTimeout(resolve, o.interval * 1000));
    }
    bar?.stop();
    if (bar && !o.watch) process.stdout.write(formatStatus(await readBatchStatus(batch)));
    return 0;
  });
}

function toFileOutcome(outcome: BatchOutcome): FileOutcome {
  return 'result' in outcome ? { file: outcome.key, result: outcome.result } : { file: outcome.key, error: outcome.error };
}

async function runExport(name: string, o: { redis: string; format?: 'ndjson' | 'csv'; output?: string }): Promise<number> {
  // Without --format, an --output named *.csv gets CSV; anything else NDJSON.
  const format = o.format ?? (o.output && formatForFile(o.output) === 'csv' ? 'csv' : 'ndjson');
  return withBatch(o.redis, name, async (batch) => {
    const { exportOutcomes } = await import('../batch/batch-export.js');
    const status = await readBatchStatus(batch);
    if (!status.finished) {
      process.stderr.write(`faceread: batch ${name} is not finished (${status.total - status.done - status.failed} photos to go); exporting the ${status.done + status.failed} finished so far\n`);
    }
    const out: Writable = o.output ? createWriteStream(o.output) : process.stdout;
    // The CSV has the columns of every attribute the batch's submissions asked for (src/attributes/).
    const writer = createOutputWriter(format, batch.info?.attributes ?? []);
    const bar = process.stderr.isTTY && status.total > 100 ? new cliProgress.SingleBar({ stream: process.stderr, format: 'exporting {bar} {value}/{total}' }, cliProgress.Presets.shades_classic) : undefined;
    bar?.start(status.done + status.failed, 0);
    // A reader that goes away (`| head`) ends the export quietly.
    let broken: Error | undefined;
    out.on('error', (error: Error) => { broken = error; out.emit('drain'); });
    const write = async (text: string) => {
      if (text && !broken && !out.write(text)) await new Promise((resolve) => out.once('drain', resolve));
    };
    await write(writer.begin());
    for await (const outcome of exportOutcomes(batch.queue)) {
      await write(writer.line(toFileOutcome(outcome)));
      bar?.increment();
      if (broken) break;
    }
    if (broken && (broken as NodeJS.ErrnoException).code !== 'EPIPE') throw broken;
    await write(writer.end());
    bar?.stop();
    if (o.output) {
      out.end();
      await finished(out);
    }
    return 0;
  });
}

async function runList(o: { redis: string; json?: boolean }): Promise<number> {
  const { connectRedis } = await import('../batch/redis-connection.js');
  const redis = await connectRedis(o.redis);
  try {
    const batches = await listBatches(redis);
    for (const info of batches) {
      const status = await withBatch(o.redis, info.name, (batch) => readBatchStatus(batch));
      if (o.json) process.stdout.write(`${JSON.stringify({ ...info, ...status })}\n`);
      else process.stdout.write(`${info.name}  created ${new Date(info.createdAt).toISOString()}  ${status.done + status.failed}/${status.total} finished (${status.failed} failed)${info.root ? `  root ${info.root}` : ''}\n`);
    }
    if (batches.length === 0 && !o.json) process.stderr.write('no batches\n');
    return 0;
  } finally {
    redis.disconnect();
  }
}

async function runRemove(name: string, o: { redis: string }): Promise<number> {
  await withBatch(o.redis, name, async (batch) => {
    await batch.queue.obliterate({ force: true });
    await unregisterBatch(batch.redis, name);
  });
  process.stderr.write(`batch ${name} removed with its results\n`);
  return 0;
}

/**
 * Adds `batch` and its subcommands to the program.
 *
 * @example registerBatchCommand(program); // faceread batch submit --redis redis://127.0.0.1:6379 photos/
 */
export function registerBatchCommand(program: Command): void {
  const batch = program.command('batch').description('distributed batch analysis on a Redis queue (BullMQ); see also `faceread worker`');
  const collect = (value: string, previous: string[] = []) => [...previous, value];
  batch.command('submit')
    .description('enqueue one job per photo; submitting the same photos again adds nothing')
    .argument('[inputs...]', 'files, folders (searched recursively) or globs')
    .addOption(redisOption())
    .option('--name <job>', 'batch name (default: first input name + hash of the photo set)', batchName)
    .option('--root <dir>', 'store keys relative to this folder (workers may mount it elsewhere: worker --root)')
    .option('--list <file>', "a file with one photo key per line ('-': stdin); repeatable", collect)
    .option('--attempts <n>', 'tries per photo before it is failed', integerArgument(1, 100), 3)
    .option('--backoff <ms>', 'first retry delay, doubled on each retry', integerArgument(0, 3_600_000), 2000)
    .addOption(attributesOption())
    .option('--json', 'print the result as JSON')
    .action(async (inputs: string[], o: SubmitFlags) => { process.exitCode = await runSubmit(inputs, o); });
  batch.command('status')
    .description('progress: done, failed, active, waiting, retrying, rate and ETA (a progress bar on a terminal)')
    .argument('<job>', 'batch name', batchName)
    .addOption(redisOption())
    .option('--watch', 'refresh until the batch is finished')
    .option('--interval <s>', 'seconds between refreshes with --watch', integerArgument(1, 3600), 2)
    .option('--json', 'print JSON (one line per refresh)')
    .action(async (name: string, o) => { process.exitCode = await runStatus(name, o); });
  batch.command('export')
    .description('write every result (and every failure with its error), one per photo')
    .argument('<job>', 'batch name', batchName)
    .addOption(redisOption())
    .addOption(new Option('--format <format>', 'output format (default: csv for an --output named *.csv, else ndjson)').choices(['ndjson', 'csv']))
    .option('--output <file>', 'write to this file instead of stdout')
    .action(async (name: string, o) => { process.exitCode = await runExport(name, o); });
  batch.command('list').description('batches in this Redis with their progress').addOption(redisOption()).option('--json', 'print JSON lines')
    .action(async (o) => { process.exitCode = await runList(o); });
  batch.command('remove').description('delete a batch, its jobs and its results').argument('<job>', 'batch name', batchName).addOption(redisOption())
    .action(async (name: string, o) => { process.exitCode = await runRemove(name, o); });
}
