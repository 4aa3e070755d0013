/**
 * The bounded queue in front of the analyzer's worker pool. A request is
 * admitted only while fewer than `queueLimit` photos wait for a worker;
 * past that it fails at once with SERVER_BUSY (503) and a Retry-After
 * estimate, so an overloaded server answers quickly instead of piling up
 * work it cannot finish. Every admitted analysis carries an AbortSignal
 * that fires after `timeoutMs` (TIMEOUT, 504).
 *
 * @example
 *   const gate = createAnalysisGate(analyzerPromise, { queueLimit: 64, timeoutMs: 30_000 });
 *   const result = await gate.analyze(bytes, { minScore: 0.6 });
 */
import { FaceReadError, isFaceReadError } from '../errors.js';
import type { AnalysisResult, AnalyzeOptions, Analyzer } from '../types.js';

export interface GateOptions {
  queueLimit: number;
  timeoutMs: number;
}

export interface AnalysisGate {
  /** Whether the analyzer has finished loading. */
  readonly ready: boolean;
  /** Photos admitted and not finished; queued ones waiting for a worker; running ones being analysed. */
  load(): { admitted: number; queued: number; running: number };
  /** Seconds a refused client should wait before retrying (an estimate from recent analysis times). */
  retryAfterSeconds(): number;
  /**
   * Analyses photos admitted together: either all are admitted or none (SERVER_BUSY).
   * Each promise settles on its own; a photo's failure does not affect the others.
   */
  analyzeMany(photos: readonly Buffer[], options: AnalyzeOptions, signal?: AbortSignal): Promise<AnalysisResult>[];
  /** One photo; rejects with a FaceReadError. */
  analyze(photo: Buffer, options: AnalyzeOptions, signal?: AbortSignal): Promise<AnalysisResult>;
}

/**
 * @param analyzer the analyzer, or the promise of one while models load (requests get NOT_READY until then)
 */
export function createAnalysisGate(analyzer: Analyzer | Promise<Analyzer>, options: GateOptions): AnalysisGate {
  let loaded: Analyzer | null = null;
  if (analyzer instanceof Promise) {
    analyzer.then((value) => (loaded = value)).catch(() => {
      // The owner of the promise (serve) reports a failed load and stops the process.
    });
  } else {
    loaded = analyzer;
  }
  let admitted = 0;
  // Exponentially weighted mean analysis time, for Retry-After.
  let meanMs = 500;

  const load = () => {
    const inner = loaded?.load() ?? { queued: 0, running: 0 };
    // Admitted photos not yet visible to the analyzer (or queued in it) are all waiting.
    const queued = Math.max(inner.queued, admitted - inner.running);
    return { admitted, queued, running: inner.running };
  };

  const runOne = async (target: Analyzer, photo: Buffer, analyzeOptions: AnalyzeOptions, signal: AbortSignal): Promise<AnalysisResult> => {
    const started = performance.now();
    try {
      const result = await target.analyze(photo, analyzeOptions, { signal });
      meanMs = 0.8 * meanMs + 0.2 * (performance.now() - started);
      return result;
    } catch (error) {
      if (signal.aborted && (!isFaceReadError(error) || error.code === 'TIMEOUT' || error.code === 'INTERNAL_ERROR')) {
        throw new FaceReadError('TIMEOUT', `The analysis took longer than ${options.timeoutMs} ms and was stopped`, { cause: error });
      }
      throw error;
    } finally {
      admitted--;
    }
  };

  const analyzeMany = (photos: readonly Buffer[], analyzeOptions: AnalyzeOptions, outer?: AbortSignal): Promise<AnalysisResult>[] => {
    if (!loaded) throw new FaceReadError('NOT_READY', 'The models are still loading; retry in a few seconds.');
    const { queued } = load();
    if (queued + photos.length > options.queueLimit) {
      throw new FaceReadError('SERVER_BUSY', `The server is busy (${queued} photos waiting); retry later.`);
    }
    admitted += photos.length;
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = outer ? AbortSignal.any([timeout, outer]) : timeout;
    const target = loaded;
    return photos.map((photo) => runOne(target, photo, analyzeOptions, signal));
  };

  return {
    get ready() {
      return loaded !== null;
    },
    load,
    retryAfterSeconds() {
      const { queued, running } = load();
      const seconds = ((queued + 1) * meanMs) / 1000 / Math.max(1, running);
      return Math.min(60, Math.max(1, Math.ceil(seconds)));
    },
    analyzeMany,
    analyze: (photo, analyzeOptions, signal) => analyzeMany([photo], analyzeOptions, signal)[0]!,
  };
}
