/**
 * One poll of one feed: skip while backing off, fetch conditionally, parse,
 * find the new items, hand them on, then remember them (DESIGN.md §1: enqueue
 * before remembering). Feed failures are recorded in the feed's state and
 * logged once per backoff step; they do not throw. Bugs do.
 */
import type { Clock } from "../clock.js";
import type { FeedEntry } from "../config/sections/feeds.js";
import type { FeedLimits } from "../config/sections/limits.js";
import { hashId } from "../ids.js";
import { redactUrl, safeLine, type Logger } from "../logger.js";
import type { Story } from "../queues/payloads.js";
import { backoffUntil } from "./backoff.js";
import { FeedError } from "./errors.js";
import type { FeedStateStore, FeedStatePatch, FeedState } from "./feed-state.js";
import type { Fetcher } from "./fetch.js";
import { sourceName, toStories } from "./normalise.js";
import { parseFeed } from "./parse.js";
import type { SeenStore } from "./seen-store.js";

export interface PollOptions {
  interval: number;
  horizon: number;
  maxBackoff: number;
  maxBytes: number;
  /** Caps on items and fields per document (the config's `limits`). @defaultValue DEFAULT_LIMITS */
  limits?: FeedLimits;
  /** Stories per classify job. @defaultValue 100 */
  chunkSize?: number;
}

export interface PollDeps {
  fetcher: Fetcher;
  states: FeedStateStore;
  seen: SeenStore;
  /** Adds one classify job; the id is deterministic so a re-run is a no-op. */
  enqueueStories(jobId: string, feedUrl: string, stories: Story[]): Promise<void>;
  clock: Clock;
  log: Logger;
  options: PollOptions;
}

export type PollOutcome =
  | { outcome: "backoff"; until: number }
  | { outcome: "failed"; error: string }
  | { outcome: "not-modified" }
  | { outcome: "polled"; items: number; fresh: number; enqueued: number; old: number; backlog: boolean };

async function recordFailure(feed: FeedEntry, state: FeedState, err: FeedError, deps: PollDeps, now: number): Promise<PollOutcome> {
  const failures = state.failures + 1;
  const interval = feed.interval ?? deps.options.interval;
  const until = backoffUntil({ now, failures, interval, maxBackoff: deps.options.maxBackoff, retryAfterMs: err.retryAfterMs });
  // The message quotes the URL (perhaps with its password) and bits of the feed: stored, logged and returned only cleaned.
  const error = safeLine(err.message);
  await deps.states.update(feed.url, { failures, backoffUntil: until, lastError: error, lastErrorAt: now, lastPoll: now });
  deps.log.warn({ feedUrl: redactUrl(feed.url), failures, backoffUntil: new Date(until).toISOString(), kind: err.kind }, `feed failed: ${error}`);
  return { outcome: "failed", error };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function pollFeed(feed: FeedEntry, deps: PollDeps): Promise<PollOutcome> {
  const { states, log } = deps;
  const state = await states.get(feed.url);
  const now = deps.clock.now();
  if (state.backoffUntil !== null && now < state.backoffUntil) return { outcome: "backoff", until: state.backoffUntil };

  const url = state.currentUrl ?? feed.url;
  let parsedStories: { stories: Story[]; title: string };
  const ok: FeedStatePatch = { failures: 0, backoffUntil: null, lastPoll: now, lastSuccess: now };
  try {
    const res = await deps.fetcher.fetch(url, { etag: state.etag, lastModified: state.lastModified }, now);
    if (res.movedTo) {
      ok.currentUrl = res.movedTo;
      log.info({ feedUrl: redactUrl(feed.url), movedTo: redactUrl(res.movedTo) }, "feed moved permanently; polling the new address from now on");
    }
    if (res.status === "not-modified") {
      await states.update(feed.url, ok);
      return { outcome: "not-modified" };
    }
    const parsed = parseFeed(res.body, { url: res.finalUrl, contentType: res.contentType, maxBytes: deps.options.maxBytes, limits: deps.options.limits });
    parsedStories = { stories: toStories(parsed, feed.url, sourceName(feed.name, parsed, url), now), title: parsed.title };
    Object.assign(ok, { etag: res.etag, lastModified: res.lastModified });
  } catch (err) {
    if (err instanceof FeedError) return recordFailure(feed, state, err, deps, now);
    throw err;
  }

  const { stories } = parsedStories;
  const unseen = await deps.seen.unseen(feed.url, stories.map((s) => s.id));
  const fresh = stories.filter((s) => unseen.has(s.id));
  // The first poll's items are the feed's backlog: remembered, not alerted, unless the feed asks.
  const backlog = !state.initialized && !feed.backfill;
  const horizon = now - deps.options.horizon;
  const recent = backlog ? [] : fresh.filter((s) => Date.parse(s.published) >= horizon);
  const size = deps.options.chunkSize ?? 100;
  for (const chunk of chunks(recent, size)) {
    await deps.enqueueStories(hashId(feed.url, ...chunk.map((s) => s.id)), feed.url, chunk);
  }
  await deps.seen.remember(feed.url, stories.map((s) => s.id), now);
  await states.update(feed.url, { ...ok, initialized: true, title: parsedStories.title || null }, fresh.length);
  return { outcome: "polled", items: stories.length, fresh: fresh.length, enqueued: recent.length, old: backlog ? 0 : fresh.length - recent.length, backlog };
}
