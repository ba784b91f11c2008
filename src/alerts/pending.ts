/**
 * Deliveries not yet done, for `alerts pending`: the alert queue's active,
 * waiting and delayed jobs, each with its channel, story, tries so far, last
 * error and the time of its next try. A delayed job's time is its score in
 * BullMQ's delayed set (the due time × 4096 plus a counter), so the listing
 * reads what the queue will do, not a guess from the backoff.
 */
import type { Queue } from "bullmq";
import type { RedisClient } from "../queues/connection.js";
import { jobSubject } from "../queues/job-subject.js";

const PENDING_STATES = ["active", "waiting", "prioritized", "delayed"] as const;
export type PendingState = (typeof PENDING_STATES)[number];

export interface PendingDelivery {
  id: string;
  state: PendingState;
  channel: string;
  subject: string;
  attemptsMade: number;
  lastError: string | null;
  /** ISO 8601 of the next try for a delayed delivery; null when due now (waiting) or being sent (active). */
  nextTry: string | null;
}

export interface PendingPage {
  deliveries: PendingDelivery[];
  /** Pending deliveries in all; more than `deliveries` when the listing was cut. */
  total: number;
}

/** BullMQ's delayed score packs the due time above 12 bits of ordering. */
const dueTime = (score: string | null): number | null => (score === null ? null : Math.floor(Number(score) / 0x1000));

/** Up to `limit` pending deliveries per state, in the order they will go. */
export async function listPendingAlerts(queue: Queue, redis: RedisClient, limit = 1_000): Promise<PendingPage> {
  const [counts, ...byState] = await Promise.all([
    queue.getJobCounts(...PENDING_STATES),
    ...PENDING_STATES.map(async (state) => (await queue.getJobs([state], 0, limit - 1, true)).map((job) => ({ job, state }))),
  ]);
  const jobs = byState.flat();
  const delayedKey = queue.toKey("delayed");
  const scores = await Promise.all(jobs.map(({ job, state }) => (state === "delayed" ? redis.zscore(delayedKey, job.id ?? "") : null)));
  const deliveries = jobs.map(({ job, state }, i): PendingDelivery => {
    const { subject, channel } = jobSubject("alert", job.data);
    const due = dueTime(scores[i] ?? null);
    return {
      id: job.id ?? "?",
      state,
      channel: channel ?? "?",
      subject,
      attemptsMade: job.attemptsMade,
      lastError: job.failedReason || null,
      nextTry: due === null ? null : new Date(due).toISOString(),
    };
  });
  const total = PENDING_STATES.reduce((n, s) => n + (counts[s] ?? 0), 0);
  return { deliveries, total };
}
