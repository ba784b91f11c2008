/**
 * Failed deliveries, as `alerts failed` and `alerts retry` see them: the alert
 * queue's failed set, each job with its attempts. A retry resets the tries,
 * so the job gets its whole retry horizon again.
 */
import type { Queue } from "bullmq";
import { AlertJob } from "../queues/payloads.js";
import { readAttempts, type AttemptRecord } from "./attempts.js";

export interface FailedAlert {
  id: string;
  channel: string;
  /** The story's title, or the digest window. */
  subject: string;
  reason: string;
  attemptsMade: number;
  failedAt: string | null;
  attempts: AttemptRecord[];
}

export async function listFailedAlerts(queue: Queue, limit = 1_000): Promise<FailedAlert[]> {
  const jobs = await queue.getFailed(0, limit - 1);
  return Promise.all(
    jobs.map(async (job) => {
      const id = job.id ?? "?";
      const data = AlertJob.safeParse(job.data);
      const subject = !data.success ? "(invalid payload)" : "digest" in data.data ? `digest window ${data.data.digest.window}` : data.data.alert.story.title;
      return {
        id,
        channel: data.success ? data.data.channel : "?",
        subject,
        reason: job.failedReason ?? "",
        attemptsMade: job.attemptsMade,
        failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
        attempts: await readAttempts(queue, id),
      };
    }),
  );
}

export interface RetryResult {
  retried: string[];
  /** Ids that are not (or no longer) failed alert jobs. */
  notFailed: string[];
}

/** Moves the given failed jobs (or every failed job) back to waiting. */
export async function retryFailedAlerts(queue: Queue, ids: string[] | "all"): Promise<RetryResult> {
  const wanted = ids === "all" ? (await queue.getFailed()).map((j) => j.id ?? "") : ids;
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
