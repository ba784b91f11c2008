/**
 * Items already seen, per feed: a sorted set of item ids scored by the last
 * time the item was in its feed. Every write trims members older than the
 * TTL and, past `max` members, those longest unseen, and refreshes the key's
 * own TTL, so memory follows the feeds' window, not uptime or a hostile
 * feed's size. Ids go to Redis in chunks, so no command carries an unbounded
 * argument list. Scoped per feed: the same story in two feeds is dedupe's job.
 */
import { hashId } from "../../ids.js";
import { redactUrl } from "../../logger.js";
import { ownKey, type RedisClient } from "../../queues/connection.js";
import { chunks } from "../chunks.js";
import { execAll } from "../../queues/exec-all.js";

export interface SeenStore {
  /** The ids among `ids` not remembered for this feed. */
  unseen(feedUrl: string, ids: string[]): Promise<Set<string>>;
  /** Remembers (or refreshes) ids as in the feed at `now`. */
  remember(feedUrl: string, ids: string[], now: number): Promise<void>;
}

export function seenKey(prefix: string, feedUrl: string): string {
  return ownKey(prefix, "seen", hashId(feedUrl));
}

/** Ids per Redis command. */
const CHUNK = 1_000;

export function createSeenStore(redis: RedisClient, prefix: string, ttlMs: number, max: number): SeenStore {
  return {
    async unseen(feedUrl, ids) {
      const key = seenKey(prefix, feedUrl);
      const out = new Set<string>();
      for (const chunk of chunks(ids, CHUNK)) {
        const scores = await redis.zmscore(key, ...chunk);
        chunk.forEach((id, i) => scores[i] === null && out.add(id));
      }
      return out;
    },
    async remember(feedUrl, ids, now) {
      if (ids.length === 0) return;
      const key = seenKey(prefix, feedUrl);
      const tx = redis.multi();
      for (const chunk of chunks(ids, CHUNK)) tx.zadd(key, ...chunk.flatMap((id) => [now, id]));
      tx.zremrangebyscore(key, "-inf", now - ttlMs).zremrangebyrank(key, 0, -(max + 1)).pexpire(key, ttlMs);
      await execAll(tx, `feeds/seen-store: remembering ${ids.length} item(s) of ${redactUrl(feedUrl)} in ${key}`);
    },
  };
}
