/**
 * Items already seen, per feed: a sorted set of item ids scored by the last
 * time the item was in its feed. Every write trims members older than the
 * TTL and refreshes the key's own TTL, so memory follows the feeds' window,
 * not uptime. Scoped per feed: the same story in two feeds is dedupe's job.
 */
import { hashId } from "../ids.js";
import { ownKey, type Redis } from "../queues/connection.js";

export interface SeenStore {
  /** The ids among `ids` not remembered for this feed. */
  unseen(feedUrl: string, ids: string[]): Promise<Set<string>>;
  /** Remembers (or refreshes) ids as in the feed at `now`. */
  remember(feedUrl: string, ids: string[], now: number): Promise<void>;
}

export function seenKey(prefix: string, feedUrl: string): string {
  return ownKey(prefix, "seen", hashId(feedUrl));
}

export function createSeenStore(redis: Redis, prefix: string, ttlMs: number): SeenStore {
  return {
    async unseen(feedUrl, ids) {
      if (ids.length === 0) return new Set();
      const scores = await redis.zmscore(seenKey(prefix, feedUrl), ...ids);
      return new Set(ids.filter((_id, i) => scores[i] === null));
    },
    async remember(feedUrl, ids, now) {
      if (ids.length === 0) return;
      const key = seenKey(prefix, feedUrl);
      await redis
        .multi()
        .zadd(key, ...ids.flatMap((id) => [now, id]))
        .zremrangebyscore(key, "-inf", now - ttlMs)
        .pexpire(key, ttlMs)
        .exec();
    },
  };
}
