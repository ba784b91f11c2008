/**
 * One BullMQ job scheduler per feed, upserted from the config at start-up,
 * at each reload and when Redis comes back empty, and removed when the feed
 * leaves the config. BullMQ then spreads the polls over every poll worker
 * and keeps one pending poll per feed.
 *
 * Ownership: each scheduler's template carries the owner of the config that
 * made it (config/owner.ts). A sync removes only its own schedulers and
 * reports those of other owners, so two configs on one Redis prefix do not
 * delete each other's feeds. A scheduler without an owner was made by a
 * version before owners: it counts as ours (it is re-stamped by the upsert,
 * or removed when its feed is not in this config), as it always did. A feed
 * that two configs both list has one scheduler (its id is the URL's): the
 * config that synced last owns it.
 */
import type { Queue } from "bullmq";
import type { Config } from "../config/schema.js";
import type { FeedEntry } from "../config/sections/feeds.js";
import { hashId } from "../ids.js";
import { JOB_NAMES } from "../queues/names.js";
import { PollJob } from "../queues/payloads.js";

export function schedulerId(feed: Pick<FeedEntry, "url">): string {
  return `feed-${hashId(feed.url)}`;
}

/** A scheduler as found in Redis. */
export interface ScheduledFeed {
  id: string;
  /** null for a scheduler made before owners existed. */
  owner: string | null;
  /** null when its template holds no valid poll job. */
  feed: FeedEntry | null;
  every: number | undefined;
}

export interface SyncPlan {
  /** Every feed of the config, with its interval. */
  upsert: { id: string; feed: FeedEntry; every: number }[];
  /** Feeds of the config without a scheduler (new, or lost with Redis's data). */
  missing: FeedEntry[];
  /** Feeds whose scheduler differs from the config (interval, name, backfill). */
  changed: FeedEntry[];
  /** Our schedulers whose feed left the config. */
  remove: ScheduledFeed[];
  /** Schedulers of other configs, left alone: owner → how many. */
  foreign: Map<string, number>;
}

export interface SyncResult {
  upserted: number;
  /** URLs of the feeds that had no scheduler before this sync. */
  created: string[];
  /** URLs (or scheduler ids) of the schedulers removed. */
  removed: string[];
  foreign: Map<string, number>;
}

export async function readScheduledFeeds(queue: Queue): Promise<ScheduledFeed[]> {
  return (await queue.getJobSchedulers(0, -1)).map((s) => {
    const data = s.template?.data as { owner?: unknown } | undefined;
    const poll = PollJob.safeParse(data);
    return { id: s.key, owner: typeof data?.owner === "string" ? data.owner : null, feed: poll.success ? poll.data.feed : null, every: s.every };
  });
}

/** What a sync of `config` as `owner` would do to the schedulers found (pure). */
export function planSync(found: readonly ScheduledFeed[], config: Config, owner: string): SyncPlan {
  const byId = new Map(found.map((s) => [s.id, s]));
  const upsert = config.feeds.map((feed) => ({ id: schedulerId(feed), feed, every: feed.interval ?? config.defaults.interval }));
  const wanted = new Set(upsert.map((u) => u.id));
  const missing = upsert.filter((u) => !byId.has(u.id)).map((u) => u.feed);
  const changed = upsert
    .filter((u) => {
      const old = byId.get(u.id);
      return old !== undefined && (old.every !== u.every || JSON.stringify(old.feed) !== JSON.stringify(u.feed));
    })
    .map((u) => u.feed);
  const remove: ScheduledFeed[] = [];
  const foreign = new Map<string, number>();
  for (const s of found) {
    if (wanted.has(s.id)) continue;
    if (s.owner === null || s.owner === owner) remove.push(s);
    else foreign.set(s.owner, (foreign.get(s.owner) ?? 0) + 1);
  }
  return { upsert, missing, changed, remove, foreign };
}

/** Makes Redis hold exactly this config's schedulers (idempotent), leaving other owners' alone. */
export async function syncFeedSchedulers(queue: Queue, config: Config, owner: string): Promise<SyncResult> {
  const plan = planSync(await readScheduledFeeds(queue), config, owner);
  for (const { id, feed, every } of plan.upsert) {
    // A poll past its interval would overlap the next one; the fetch timeout keeps it shorter.
    await queue.upsertJobScheduler(
      id,
      { every },
      {
        name: JOB_NAMES.poll,
        // The poll stage's payload schema drops `owner`; only a sync reads it.
        data: { ...PollJob.parse({ feed }), owner },
        // A failed poll is not retried in place: the feed's own backoff and the next tick handle it.
        opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } },
      },
    );
  }
  for (const s of plan.remove) await queue.removeJobScheduler(s.id);
  return {
    upserted: plan.upsert.length,
    created: plan.missing.map((f) => f.url),
    removed: plan.remove.map((s) => s.feed?.url ?? s.id),
    foreign: plan.foreign,
  };
}

/** `3 feed(s) on prefix newswatch belong to config /x/other.yaml; left alone`, one line per owner. */
export function foreignLines(foreign: ReadonlyMap<string, number>, prefix: string): string[] {
  return [...foreign].map(([owner, n]) => `${n} feed(s) on prefix ${prefix} belong to config ${owner}; left alone`);
}
