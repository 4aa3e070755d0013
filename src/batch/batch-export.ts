/**
 * Reads a batch's outcomes back: every done photo with its result and every
 * failed photo with its error. Each photo is one job and a job sits in one
 * state, so each photo appears at most once however often it was retried
 * or taken again after a worker died.
 */
import type { AnalysisResult } from '../types.js';
import type { BatchQueue } from './batch-queue.js';
import { parseFailedReason, type JobFailure } from './job-failure.js';

export type BatchOutcome =
  | { key: string; result: AnalysisResult }
  | { key: string; error: JobFailure; attempts: number };

const PAGE = 500;

/**
 * Done photos first, then failed ones, each in the order they finished
 * (pages from the oldest, so photos finishing meanwhile only add at the end).
 *
 * @example for await (const outcome of exportOutcomes(batch.queue)) console.log(outcome.key);
 */
export async function* exportOutcomes(queue: BatchQueue): AsyncGenerator<BatchOutcome> {
  for (const state of ['completed', 'failed'] as const) {
    for (let start = 0; ; start += PAGE) {
      const jobs = await queue.getJobs([state], start, start + PAGE - 1, true);
      for (const job of jobs) {
        // A job may be missing (removed by hand) between listing and reading.
        if (!job?.data) continue;
        if (state === 'completed') yield { key: job.data.key, result: job.returnvalue };
        else yield { key: job.data.key, error: parseFailedReason(job.failedReason), attempts: job.attemptsMade };
      }
      if (jobs.length < PAGE) break;
    }
  }
}
