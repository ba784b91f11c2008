/**
 * One poll of one feed: skip while backing off, fetch conditionally, parse,
 * find the new items, hand them on, then remember them (DESIGN.md §1: enqueue
 * before remembering). At most `itemsPerPoll` new items are handed on; the
 * rest stay unseen and go with the next polls, so nothing is lost and no poll
 * is unbounded. Feed failures are recorded in the feed's state and logged
 * once per backoff step; they do not throw. Anything else a poll throws is
 * recorded and backed off the same way (kind "internal"), so one feed that
 * trips a bug cannot fail every poll; only when even that record cannot be
 * written (Redis down) does the job fail and retry. A poll stopped by
 * `deps.signal` (shutdown) records nothing and throws the signal's reason:
 * the feed did not fail, and the job runs again.
 */
import type { Clock } from "../clock.js";
import type { FeedEntry } from "../config/sections/feeds.js";
import { DEFAULT_LIMITS, type FeedLimits } from "../config/sections/limits.js";
import { hashId } from "../ids.js";
import { redactUrl, safeLine, type Logger } from "../logger.js";
import type { Story } from "../model/index.js";
import { backoffUntil } from "./state/backoff.js";
import { chunks } from "./chunks.js";
import { FeedError } from "./errors.js";
import type { FeedStateStore, FeedStatePatch, FeedState } from "./state/feed-state.js";
import type { Fetcher } from "./fetch/fetch.js";
import { unwrapParse, type ParseInput, type ParseOutcome, type ParsedStories } from "./parse/parse-stories.js";
import type { SeenStore } from "./state/seen-store.js";
import { coerceError } from "../errors.js";

export interface PollOptions {
  interval: number;
  horizon: number;
  maxBackoff: number;
  maxBytes: number;
  /** Caps on items and fields per document (the config's `limits`). @defaultValue DEFAULT_LIMITS */
  limits?: FeedLimits;
  /** Stories per classify job. @defaultValue 100 */
  chunkSize?: number;
  /** New items handed on per poll; the rest wait for the next polls. @defaultValue 500 */
  itemsPerPoll?: number;
}

export interface PollDeps {
  fetcher: Fetcher;
  states: FeedStateStore;
  seen: SeenStore;
  /** Parses a fetched body (parse-stories.ts), on the CPU pool in the service. */
  parse(input: ParseInput): Promise<ParseOutcome>;
  /** Adds one classify job; the id is deterministic so a re-run is a no-op. */
  enqueueStories(jobId: string, feedUrl: string, stories: Story[]): Promise<void>;
  clock: Clock;
  log: Logger;
  options: PollOptions;
  /** Stops the fetch when the worker shuts down. */
  signal?: AbortSignal;
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

export async function pollFeed(feed: FeedEntry, deps: PollDeps): Promise<PollOutcome> {
  const state = await deps.states.get(feed.url);
  const now = deps.clock.now();
  if (state.backoffUntil !== null && now < state.backoffUntil) return { outcome: "backoff", until: state.backoffUntil };
  try {
    return await poll(feed, state, now, deps);
  } catch (err) {
    if (deps.signal?.aborted) throw err;
    if (err instanceof FeedError) return recordFailure(feed, state, err, deps, now);
    const message = coerceError(err).message;
    return recordFailure(feed, state, new FeedError("internal", `handling the feed failed: ${message}`, { cause: err }), deps, now);
  }
}

async function poll(feed: FeedEntry, state: FeedState, now: number, deps: PollDeps): Promise<PollOutcome> {
  const { states, log } = deps;
  const url = state.currentUrl ?? feed.url;
  const ok: FeedStatePatch = { failures: 0, backoffUntil: null, lastPoll: now, lastSuccess: now };
  const res = await deps.fetcher.fetch(url, { etag: state.etag, lastModified: state.lastModified }, now, { signal: deps.signal });
  if (res.movedTo) {
    ok.currentUrl = res.movedTo;
    log.info({ feedUrl: redactUrl(feed.url), movedTo: redactUrl(res.movedTo) }, "feed moved permanently; polling the new address from now on");
  }
  if (res.status === "not-modified") {
    await states.update(feed.url, ok);
    return { outcome: "not-modified" };
  }
  const input: ParseInput = {
    body: res.body,
    finalUrl: res.finalUrl,
    contentType: res.contentType,
    maxBytes: deps.options.maxBytes,
    limits: deps.options.limits ?? DEFAULT_LIMITS,
    feedUrl: feed.url,
    feedName: feed.name,
    now,
  };
  const parsedStories: ParsedStories = unwrapParse(await deps.parse(input));
  // A hostile document's items beyond the cap are not read at all: say so, as the feed's warnings do.
  for (const warning of parsedStories.warnings) log.warn({ feedUrl: redactUrl(feed.url) }, `feed warning: ${safeLine(warning)}`);
  Object.assign(ok, { etag: res.etag, lastModified: res.lastModified, lastWarning: parsedStories.warnings.join("; ") || null });

  const { stories } = parsedStories;
  const unseen = await deps.seen.unseen(feed.url, stories.map((s) => s.id));
  const allFresh = stories.filter((s) => unseen.has(s.id));
  // The first poll's items are the feed's backlog: remembered, not alerted, unless the feed asks.
  const backlog = !state.initialized && !feed.backfill;
  const fresh = backlog ? allFresh : allFresh.slice(0, deps.options.itemsPerPoll ?? 500);
  const waiting = allFresh.length - fresh.length;
  if (waiting > 0) log.info({ feedUrl: redactUrl(feed.url), waiting }, `${waiting} new item(s) left for the next polls`);
  const horizon = now - deps.options.horizon;
  const recent = backlog ? [] : fresh.filter((s) => Date.parse(s.published) >= horizon);
  const size = deps.options.chunkSize ?? 100;
  for (const chunk of chunks(recent, size)) {
    await deps.enqueueStories(hashId(feed.url, ...chunk.map((s) => s.id)), feed.url, chunk);
  }
  const handled = new Set(fresh.map((s) => s.id));
  await deps.seen.remember(feed.url, stories.filter((s) => !unseen.has(s.id) || handled.has(s.id)).map((s) => s.id), now);
  await states.update(feed.url, { ...ok, initialized: true, title: parsedStories.title || null }, fresh.length);
  return { outcome: "polled", items: stories.length, fresh: fresh.length, enqueued: recent.length, old: backlog ? 0 : fresh.length - recent.length, backlog };
}
