/**
 * Job payloads: one zod schema per queue, checked when a job is added and
 * when a worker takes it. The types the stages exchange are inferred here.
 */
import { z } from "zod";
import { EntityType } from "../config/sections/topics.js";
import { FeedEntry } from "../config/sections/feeds.js";

/** A normalised feed item, as it travels through the pipeline. */
export const Story = z.object({
  id: z.string().regex(/^[a-f0-9]{16,64}$/, "hex item identity"),
  feedUrl: z.string(),
  source: z.string(),
  title: z.string(),
  description: z.string(),
  link: z.string().nullable(),
  /** ISO 8601 UTC; the first-seen time when the feed gives no date. */
  published: z.string(),
  author: z.string().nullable().default(null),
  categories: z.array(z.string()).default([]),
  enclosures: z.array(z.string()).default([]),
  /** Fields cut to their caps (config `limits`) when the feed was parsed. */
  truncated: z.array(z.string()).default([]),
});
export type Story = z.infer<typeof Story>;

export const Entity = z.object({ name: z.string(), type: EntityType });
export type Entity = z.infer<typeof Entity>;

export const Classification = z.object({
  relevant: z.boolean(),
  score: z.number().min(0).max(1),
  topics: z.array(z.string()),
  entities: z.array(Entity),
  reasons: z.array(z.string()),
  evidence: z.string().nullable().default(null),
  relation: z.string().nullable().default(null),
});
export type Classification = z.infer<typeof Classification>;

export const Verdict = z.enum(["new", "duplicate", "same-event", "known-event"]);
export type Verdict = z.infer<typeof Verdict>;

export const Dedupe = z.object({
  verdict: Verdict,
  /** Shared by every story of one event: the first story's id, or the reference id. */
  cluster: z.string(),
  /** The story this one repeats, if any. */
  of: z.string().nullable().default(null),
  score: z.number(),
  entities: z.array(z.string()),
  knownEvent: z.string().nullable().default(null),
  alsoReportedBy: z.array(z.string()).default([]),
});
export type Dedupe = z.infer<typeof Dedupe>;

/** The one JSON object every channel delivers (webhook body, JSONL line, email data). */
export const Alert = z.object({
  version: z.literal(1),
  kind: z.enum(["new", "follow-up"]).default("new"),
  story: Story.pick({ id: true, title: true, link: true, source: true, published: true, description: true }),
  classification: Classification,
  dedupe: Dedupe,
});
export type Alert = z.infer<typeof Alert>;

export const PollJob = z.object({ feed: FeedEntry });
export type PollJob = z.infer<typeof PollJob>;

/** The new items of one poll travel together: classification has no per-item side effect. */
export const ClassifyJob = z.object({ feedUrl: z.string(), stories: z.array(Story).min(1) });
export type ClassifyJob = z.infer<typeof ClassifyJob>;

export const DedupeJob = z.object({ story: Story, classification: Classification });
export type DedupeJob = z.infer<typeof DedupeJob>;

/** One alert for one channel. */
export const AlertDelivery = z.object({ channel: z.string(), alert: Alert });
export type AlertDelivery = z.infer<typeof AlertDelivery>;

/** A digest channel's flush of one window (window = start time / window length); its alerts wait in Redis. */
export const DigestFlush = z.object({ channel: z.string(), digest: z.object({ window: z.number().int().nonnegative() }) });
export type DigestFlush = z.infer<typeof DigestFlush>;

/** The alert queue carries both; a digest channel's alert jobs collect, its flush job sends. */
export const AlertJob = z.union([AlertDelivery, DigestFlush]);
export type AlertJob = z.infer<typeof AlertJob>;
