/**
 * A batch's progress: photos done, failed, in flight, waiting and waiting to
 * be retried, the recent rate and the time left at that rate. The counts are
 * BullMQ's; the rate comes from the finish times BullMQ keeps as scores of
 * its completed and failed sets.
 */
import type { BatchHandle } from './batch-queue.js';

export interface BatchStatus {
  name: string;
  /** Photos in the batch. */
  total: number;
  /** Analysed, with a result. */
  done: number;
  /** Given up on (in the failed list, with their error). */
  failed: number;
  /** Being analysed now. */
  active: number;
  /** Not taken yet. */
  waiting: number;
  /** Failed once, waiting for their backoff to end. */
  retrying: number;
  /** Photos finished per second over the recent window; null until there is enough to tell. */
  ratePerSecond: number | null;
  /** Seconds left at that rate; null when unknown (no rate, or nothing moving). */
  etaSeconds: number | null;
  /** Workers connected to this batch's queue. */
  workers: number;
  /** Every photo is done or failed. */
  finished: boolean;
}

export interface StatusFigures {
  name: string;
  counts: Readonly<Record<string, number>>;
  /** Photos finished (done or failed) within the window. */
  finishedInWindow: number;
  /** When the first photo of the batch finished (ms), or null. */
  firstFinishedAt: number | null;
  /** When the last photo so far finished (ms), or null. */
  lastFinishedAt: number | null;
  windowMs: number;
  now: number;
  workers: number;
}

/**
 * Turns raw figures into a status (pure, so it is tested without Redis).
 *
 * @example summarizeStatus({ name: 'a', counts: { completed: 50, waiting: 50 }, finishedInWindow: 50, firstFinishedAt: now - 10_000, lastFinishedAt: now, windowMs: 60_000, now, workers: 1 }).etaSeconds // 10
 */
export function summarizeStatus(figures: StatusFigures): BatchStatus {
  const count = (...types: string[]) => types.reduce((sum, t) => sum + (figures.counts[t] ?? 0), 0);
  const done = count('completed');
  const failed = count('failed');
  const active = count('active');
  const waiting = count('waiting', 'prioritized', 'paused', 'wait');
  const retrying = count('delayed');
  const total = done + failed + active + waiting + retrying;
  const remaining = total - done - failed;
  // Rate over the window, or since the first finish when the batch is younger than the window.
  const since = figures.firstFinishedAt === null ? null : Math.max(figures.now - figures.windowMs, figures.firstFinishedAt);
  const spanMs = since === null ? 0 : figures.now - since;
  const finished = total > 0 && remaining === 0;
  // A finished batch shows its overall rate, first to last photo; a running one its recent rate.
  const wholeMs = (figures.lastFinishedAt ?? 0) - (figures.firstFinishedAt ?? 0);
  const ratePerSecond = finished ? (wholeMs >= 1000 ? (done + failed) / (wholeMs / 1000) : null)
    : spanMs >= 1000 && figures.finishedInWindow > 0 ? figures.finishedInWindow / (spanMs / 1000)
      : spanMs >= figures.windowMs ? 0 : null;
  const etaSeconds = remaining === 0 ? 0 : ratePerSecond ? remaining / ratePerSecond : null;
  return { name: figures.name, total, done, failed, active, waiting, retrying, ratePerSecond, etaSeconds, workers: figures.workers, finished };
}

/**
 * Reads a batch's status from Redis.
 *
 * @example const status = await readBatchStatus(await openBatch(url, 'archive', { mustExist: true }));
 */
export async function readBatchStatus(batch: BatchHandle, options: { windowMs?: number; now?: number } = {}): Promise<BatchStatus> {
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now();
  const { queue, redis } = batch;
  const sets = [queue.keys.completed!, queue.keys.failed!];
  const [counts, workers, ...finishes] = await Promise.all([
    queue.getJobCounts(),
    queue.getWorkersCount().catch(() => 0), // CLIENT LIST may be refused by managed Redis
    ...sets.map((key) => redis.zcount(key, String(now - windowMs), '+inf')),
    ...sets.map((key) => redis.zrange(key, 0, '0', 'WITHSCORES')),
    ...sets.map((key) => redis.zrange(key, -1, '-1', 'WITHSCORES')),
  ]);
  const finishedInWindow = (finishes[0] as number) + (finishes[1] as number);
  const scores = (pairs: unknown[]) => (pairs as string[][]).filter((pair) => pair.length === 2).map((pair) => Number(pair[1]));
  const firsts = scores(finishes.slice(2, 4));
  const lasts = scores(finishes.slice(4, 6));
  return summarizeStatus({
    name: batch.name, counts, finishedInWindow, windowMs, now, workers: workers as number,
    firstFinishedAt: firsts.length ? Math.min(...firsts) : null,
    lastFinishedAt: lasts.length ? Math.max(...lasts) : null,
  });
}

function duration(seconds: number | null): string {
  if (seconds === null) return 'unknown';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** A few readable lines for a terminal or a log. */
export function formatStatus(status: BatchStatus): string {
  const pct = status.total ? ((status.done + status.failed) / status.total) * 100 : 0;
  const rate = status.ratePerSecond === null ? '-' : `${status.ratePerSecond.toFixed(1)} photos/s`;
  return [
    `batch ${status.name}: ${status.finished ? 'finished' : 'in progress'} (${pct.toFixed(1)}% of ${status.total})`,
    `  done ${status.done}  failed ${status.failed}  active ${status.active}  waiting ${status.waiting}  retrying ${status.retrying}`,
    `  rate ${rate}  eta ${status.finished ? '0s' : duration(status.etaSeconds)}  workers ${status.workers}`,
    '',
  ].join('\n');
}
