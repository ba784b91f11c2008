/**
 * Why one archived story was or was not alerted: the story as first seen,
 * how the config classifies it now (every feature's contribution), what the
 * pipeline recorded then (classification, dedupe verdict, the alert jobs it
 * added), its cluster while dedupe still keeps it, and each alert job's
 * delivery: its state, every logged try and the delivery record.
 */
import type { Queue } from "bullmq";
import { findDelivery, type DeliveryInfo } from "../alerts/delivery-record.js";
import { explainStory } from "../classify/classify.js";
import type { TopicScore } from "../classify/score.js";
import type { Config } from "../config/schema.js";
import { RedisDedupeStore } from "../dedupe/redis-store.js";
import type { ClusterView } from "../dedupe/store.js";
import { canonicalUrl } from "../feeds/parse/canonical-url.js";
import { readAttempts, type AttemptRecord } from "../queues/attempts.js";
import type { RedisClient } from "../queues/connection.js";
import type { Story } from "../model/index.js";
import type { Decisions } from "./decisions.js";
import { DAY } from "./keys.js";
import { findArchived, readDecisions } from "./reader.js";
import type { ArchivedItem } from "./record.js";

/** Clusters searched for the story's (the most recently updated since the story's time). */
const CLUSTERS_SEARCHED = 500;

export interface Delivery {
  channel: string;
  job: string;
  /** BullMQ's state of the alert job ("completed", "failed", "delayed" …), or "removed" once BullMQ dropped it. */
  state: string;
  failedReason: string | null;
  attempts: AttemptRecord[];
  /** The record written after a successful delivery, while alerts.deliveredTtl keeps it. */
  delivered: DeliveryInfo | null;
}

export interface StoryExplanation {
  item: ArchivedItem;
  /** Every topic's score with each feature's contribution, by the config given. */
  scores: TopicScore[];
  recorded: Decisions;
  cluster: ClusterView | null;
  deliveries: Delivery[];
}

/**
 * What `explain` accepts: a story id (or its first 8+ hex digits, as replay
 * prints 12), or a link compared in canonical form; null for neither.
 */
export function storyMatcher(query: string): ((story: Story) => boolean) | null {
  const q = query.trim();
  if (/^[a-f0-9]{8,64}$/.test(q)) return (story) => story.id.startsWith(q);
  const url = canonicalUrl(q);
  if (url === null) return null;
  return (story) => story.link !== null && canonicalUrl(story.link) === url;
}

async function delivery(queue: Queue, redis: RedisClient, prefix: string, channel: string, jobId: string): Promise<Delivery> {
  const job = await queue.getJob(jobId);
  const [state, attempts, delivered] = await Promise.all([
    job ? job.getState() : Promise.resolve("removed"),
    job ? readAttempts(queue, jobId) : Promise.resolve([]),
    findDelivery(redis, prefix, jobId),
  ]);
  return { channel, job: jobId, state, failedReason: job?.failedReason || null, attempts, delivered };
}

export interface ExplainDeps {
  redis: RedisClient;
  /** The alert queue of the same Redis and prefix. */
  alerts: Queue;
  config: Config;
  now: number;
}

/** The explanation of the most recent archived story that `match` accepts, or null when the archive holds none. */
export async function explainArchived(match: (story: Story) => boolean, deps: ExplainDeps): Promise<StoryExplanation | null> {
  const { redis, config, now } = deps;
  const prefix = config.redis.prefix;
  const item = await findArchived(redis, prefix, { from: now - config.archive.span - DAY, to: now }, match);
  if (!item) return null;
  const recorded = await readDecisions(redis, prefix, item.story.id, { from: item.seen, to: now });
  const d = recorded.deduped;
  let cluster: ClusterView | null = null;
  if (d) {
    const since = Date.parse(item.story.published) - config.dedupe.window;
    const clusters = await new RedisDedupeStore(redis, prefix).recentClusters(since, CLUSTERS_SEARCHED);
    cluster = clusters.find((c) => c.id === d.cluster) ?? null;
  }
  const deliveries = await Promise.all((d?.alerts ?? []).map((a) => delivery(deps.alerts, redis, prefix, a.channel, a.job)));
  return { item, scores: explainStory(item.story, config.topics), recorded, cluster, deliveries };
}
