/**
 * Failed jobs of any stage, as `jobs failed|retry` and `alerts failed|retry`
 * see them: a queue's failed set, newest first, each job with what it was
 * about, why it failed and its logged tries. A retry resets the job's
 * attempts, so it gets its whole retry schedule again; its tries go on being
 * numbered after the earlier ones (queues/attempts.ts).
 */
import type { Job, Queue } from "bullmq";
import { readAttempts, type AttemptRecord } from "./attempts.js";
import { jobSubject } from "./job-subject.js";
import type { QueueName } from "./names.js";

export interface FailedJob {
  id: string;
  stage: QueueName;
  /** The alert channel, for alert jobs. */
  channel?: string;
  subject: string;
  reason: string;
  attemptsMade: number;
  /** ISO 8601. */
  failedAt: string | null;
  attempts: AttemptRecord[];
}

export interface FailedPage {
  jobs: FailedJob[];
  /** All failed jobs of the queue; more than `jobs` when the listing was cut. */
  total: number;
}

async function describeFailed(queue: Queue, stage: QueueName, job: Job): Promise<FailedJob> {
  const id = job.id ?? "?";
  return {
    id,
    stage,
    ...jobSubject(stage, job.data),
    reason: job.failedReason ?? "",
    attemptsMade: job.attemptsMade,
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    attempts: await readAttempts(queue, id),
  };
}

/** The newest `limit` failed jobs of one stage's queue. */
export async function listFailedJobs(queue: Queue, stage: QueueName, limit = 1_000): Promise<FailedPage> {
  const [jobs, total] = await Promise.all([queue.getFailed(0, limit - 1), queue.getFailedCount()]);
  return { jobs: await Promise.all(jobs.map((job) => describeFailed(queue, stage, job))), total };
}

export interface RetryResult {
  retried: string[];
  /** Ids that are not (or no longer) failed jobs of this queue. */
  notFailed: string[];
}

/** Moves the given failed jobs (or every failed job) back to waiting with fresh attempts. */
export async function retryFailedJobs(queue: Queue, ids: string[] | "all"): Promise<RetryResult> {
  const wanted = ids === "all" ? (await queue.getFailed()).map((job) => job.id ?? "") : ids;
  const result: RetryResult = { retried: [], notFailed: [] };
  for (const id of wanted) {
    const job = await queue.getJob(id);
    if (!job || (await job.getState()) !== "failed") {
      result.notFailed.push(id);
      continue;
    }
    await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
    result.retried.push(id);
  }
  return result;
}
