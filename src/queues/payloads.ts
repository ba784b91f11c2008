/**
 * Job payloads: one zod schema per queue, checked when a job is added and
 * when a worker takes it. They wrap the domain types of model/.
 */
import { z } from "zod";
import { Classification, Story, Alert } from "../model/index.js";
import { FeedEntry } from "../config/sections/feeds.js";

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
