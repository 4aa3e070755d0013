/**
 * `faceread worker --redis <url>`: takes photos from the batch queues in
 * Redis and analyses them, on as many machines as wanted. SIGTERM or SIGINT
 * finishes the photos in flight and stops; a second signal stops at once
 * (those photos are then taken again by another worker once their lock ends).
 * A stop that cannot finish within --stop-timeout (Redis unreachable: the
 * results cannot be recorded, and BullMQ's close waits for it forever)
 * abandons the photos in flight and exits 1.
 */
import { Command, Option } from 'commander';
import { ANALYZER_DEFAULTS } from '../analyzer.js';
import { resolveWorkerTimings } from '../batch/worker-settings.js';
import { DEFAULT_PROFILE } from '../models/profiles.js';
import { defaultStoreDir } from '../models/store.js';
import { integerArgument, redisOption } from './batch-command.js';

interface WorkerFlags {
  redis: string;
  batch?: string[];
  concurrency?: number;
  root?: string;
  poolSize: number;
  threads: number;
  models: string;
  modelDir: string;
  lockDuration?: number;
  stalledInterval?: number;
  exitWhenIdle?: boolean;
  stopTimeout: number;
  quiet?: boolean;
}

async function runWorker(o: WorkerFlags): Promise<number> {
  const log = o.quiet ? () => {} : (message: string) => console.error(`${new Date().toISOString()} ${message}`);
  const timings = resolveWorkerTimings(process.env, {
    ...(o.lockDuration !== undefined ? { lockDurationMs: o.lockDuration } : {}),
    ...(o.stalledInterval !== undefined ? { stalledIntervalMs: o.stalledInterval } : {}),
  });
  const { startBatchWorker } = await import('../batch/batch-worker.js'); // loads BullMQ only when needed
  const worker = await startBatchWorker({
    redisUrl: o.redis,
    ...(o.batch ? { batches: o.batch } : {}),
    ...(o.root !== undefined ? { root: o.root } : {}),
    // Two photos per inference thread: one analysed while the next is fetched and decoded.
    concurrency: o.concurrency ?? o.poolSize * 2,
    timings,
    analyzer: { profile: o.models, modelDir: o.modelDir, poolSize: o.poolSize, intraOpThreads: o.threads, log: (m) => /convert/i.test(m) && log(m) },
    exitWhenIdle: Boolean(o.exitWhenIdle),
    log,
  });
  log(`worker ${worker.name}: ready (lock ${timings.lockDurationMs} ms, stalled check every ${timings.stalledIntervalMs} ms)`);
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (++signals > 1) process.exit(130);
    log(`worker ${worker.name}: ${signal}: finishing the photos in flight, for at most ${o.stopTimeout} ms (again to stop at once)`);
    void worker.close();
    setTimeout(() => {
      // Always on stderr, --quiet or not: the exit code alone would not say why.
      console.error(`${new Date().toISOString()} worker ${worker.name}: not stopped within ${o.stopTimeout} ms (is Redis reachable?); ` +
        'exiting with the photos in flight abandoned: once their lock ends, the stalled check of another worker queues them again');
      process.exit(1);
    }, o.stopTimeout).unref();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const counts = await worker.stopped;
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  log(`worker ${worker.name}: stopped; ${counts.done} done, ${counts.failed} failed, ${counts.retried} retried`);
  return 0;
}

/**
 * Adds `worker` to the program.
 *
 * @example registerWorkerCommand(program); // faceread worker --redis redis://127.0.0.1:6379 --concurrency 4
 */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('take photos from the batch queues in Redis and analyse them (run on any number of machines)')
    .addOption(redisOption())
    .option('--batch <job>', 'serve only this batch (repeatable; default: every batch, new ones picked up)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--concurrency <n>', 'photos in flight per batch (default: 2 per worker thread)', integerArgument(1, 256))
    .addOption(new Option('--root <dir>', 'folder photo keys are relative to on this machine (default: the root given at submit)').env('FACEREAD_WORKER_ROOT'))
    .option('--pool-size <n>', 'worker threads', integerArgument(1, 64), ANALYZER_DEFAULTS.poolSize)
    .option('--threads <n>', 'onnxruntime threads per worker thread', integerArgument(1, 64), ANALYZER_DEFAULTS.intraOpThreads)
    .addOption(new Option('--models <profile>', 'model profile').default(DEFAULT_PROFILE))
    .addOption(new Option('--model-dir <dir>', 'model store folder (env FACEREAD_MODEL_DIR)').default(defaultStoreDir()))
    .option('--lock-duration <ms>', 'lock on a photo being analysed (env FACEREAD_BATCH_LOCK_MS; default 30000)', integerArgument(100, 3_600_000))
    .option('--stalled-interval <ms>', 'how often to look for photos left by stopped workers (env FACEREAD_BATCH_STALLED_MS; default 30000)', integerArgument(100, 3_600_000))
    .option('--exit-when-idle', 'stop once no batch has photos waiting, in flight or due for a retry')
    .addOption(new Option('--stop-timeout <ms>', 'on SIGTERM, give up finishing the photos in flight after this long and exit 1').env('FACEREAD_WORKER_STOP_MS')
      .argParser(integerArgument(100, 3_600_000)).default(20_000))
    .option('--quiet', 'write no log lines')
    .action(async (o: WorkerFlags) => { process.exitCode = await runWorker(o); });
}
