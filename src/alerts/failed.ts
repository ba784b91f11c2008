/**
 * Failed deliveries, each with its channel: the alert queue's view of
 * queues/failed-jobs.ts, for the status page and its retry button.
 */
import type { Queue } from "bullmq";
import { listFailedJobs, retryFailedJobs, type FailedJob, type RetryResult } from "../queues/failed-jobs.js";

export type FailedAlert = Omit<FailedJob, "stage" | "channel"> & { channel: string };

export async function listFailedAlerts(queue: Queue, limit = 1_000): Promise<FailedAlert[]> {
  const { jobs } = await listFailedJobs(queue, "alert", limit);
  return jobs.map((job) => ({ ...job, channel: job.channel ?? "?" }));
}

/** Moves the given failed alert jobs (or all of them) back to waiting with a fresh retry horizon. */
export const retryFailedAlerts = (queue: Queue, ids: string[] | "all"): Promise<RetryResult> => retryFailedJobs(queue, ids);
