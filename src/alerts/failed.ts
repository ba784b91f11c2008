/**
 * Failed deliveries, each with its channel: the alert queue's view of
 * queues/failed-jobs.ts, for the status page (its retry button calls
 * retryFailedJobs directly).
 */
import type { Queue } from "bullmq";
import { listFailedJobs, type FailedJob } from "../queues/failed-jobs.js";

export type FailedAlert = Omit<FailedJob, "stage" | "channel"> & { channel: string };

export async function listFailedAlerts(queue: Queue, limit = 1_000): Promise<FailedAlert[]> {
  const { jobs } = await listFailedJobs(queue, "alert", limit);
  return jobs.map((job) => ({ ...job, channel: job.channel ?? "?" }));
}
