/**
 * Everything the status page shows, read from Redis at each request: feed
 * state, the alert queue's jobs (completed ones are kept a day, so they are
 * the recent alerts), dedupe clusters, failed deliveries and queue depths.
 * Nothing comes from this process's memory, so a process that runs only some
 * stages still shows the whole pipeline.
 */
import type { Job } from "bullmq";
import { listFailedAlerts, type FailedAlert } from "../alerts/failed.js";
import type { Clock } from "../clock.js";
import type { Config } from "../config/schema.js";
import { RedisDedupeStore } from "../dedupe/redis-store.js";
import type { ClusterView } from "../dedupe/store.js";
import { createFeedStateStore } from "../feeds/state/feed-state.js";
import { feedStatuses, type FeedStatus } from "../feeds/state/feed-status.js";
import { redactText } from "../logger.js";
import type { RedisClient } from "../queues/connection.js";
import type { Queues } from "../queues/factory.js";
import { type Alert } from "../model/index.js";
import { AlertJob } from "../queues/payloads.js";

export const QUEUE_STATES = ["waiting", "active", "delayed", "prioritized", "failed", "completed"] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

export interface QueueDepth {
  queue: string;
  counts: Record<QueueState, number>;
}

/** One story's alert and where each of its channel jobs stands. */
export interface AlertRow {
  alert: Alert;
  /** When the first of its jobs was queued. */
  queuedAt: number;
  channels: { name: string; state: string }[];
}

export interface StatusView {
  generatedAt: number;
  feeds: FeedStatus[];
  alerts: AlertRow[];
  clusters: ClusterView[];
  failed: FailedAlert[];
  queues: QueueDepth[];
}

export interface StatusSource {
  /** The config in force now (a live reload may replace it). */
  config(): Config;
  redis: RedisClient;
  queues: Queues;
  clock: Clock;
}

/** How much of each list the page shows. */
const LIMITS = { alerts: 50, clusters: 20, failed: 100, alertJobsPerState: 200 } as const;

const ALERT_JOB_STATES = ["active", "waiting", "delayed", "prioritized", "failed", "completed"] as const;

/** Groups the alert queue's jobs by story and kind (one job per channel), newest first; digest flushes are left out. */
export function alertRows(jobs: readonly { job: Pick<Job, "data" | "timestamp">; state: string }[], limit: number): AlertRow[] {
  const rows = new Map<string, AlertRow>();
  for (const { job, state } of jobs) {
    const parsed = AlertJob.safeParse(job.data);
    if (!parsed.success || !("alert" in parsed.data)) continue;
    const { alert, channel } = parsed.data;
    const key = `${alert.story.id}:${alert.kind}`;
    const row = rows.get(key) ?? { alert, queuedAt: job.timestamp, channels: [] };
    row.queuedAt = Math.min(row.queuedAt, job.timestamp);
    row.channels.push({ name: channel, state });
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => b.queuedAt - a.queuedAt).slice(0, limit);
}

async function alertJobs(source: StatusSource): Promise<AlertRow[]> {
  const queue = source.queues.alert;
  const byState = await Promise.all(
    ALERT_JOB_STATES.map(async (state) => (await queue.getJobs([state], 0, LIMITS.alertJobsPerState - 1)).map((job) => ({ job, state }))),
  );
  return alertRows(byState.flat(), LIMITS.alerts);
}

async function queueDepths(queues: Queues): Promise<QueueDepth[]> {
  return Promise.all(
    Object.values(queues).map(async (queue) => {
      const counts = await queue.getJobCounts(...QUEUE_STATES);
      return { queue: queue.name, counts: Object.fromEntries(QUEUE_STATES.map((s) => [s, counts[s] ?? 0])) as Record<QueueState, number> };
    }),
  );
}

/** Failure reasons quote endpoints, which may carry credentials in their URLs. */
function redactFailed(f: FailedAlert): FailedAlert {
  return { ...f, reason: redactText(f.reason), attempts: f.attempts.map((a) => ({ ...a, detail: redactText(a.detail) })) };
}

export async function readStatus(source: StatusSource): Promise<StatusView> {
  const config = source.config();
  const now = source.clock.now();
  const prefix = config.redis.prefix;
  const [feeds, alerts, clusters, failed, queues] = await Promise.all([
    feedStatuses(config.feeds, createFeedStateStore(source.redis, prefix, config.defaults.seenTtl), config.defaults.interval),
    alertJobs(source),
    new RedisDedupeStore(source.redis, prefix).recentClusters(now - config.dedupe.window, LIMITS.clusters),
    listFailedAlerts(source.queues.alert, LIMITS.failed),
    queueDepths(source.queues),
  ]);
  return { generatedAt: now, feeds, alerts, clusters, failed: failed.map(redactFailed), queues };
}
