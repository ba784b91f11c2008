/**
 * Per-feed state in Redis, one hash per feed with a TTL refreshed on every
 * write: validators for conditional GET, health (failures, backoff, last
 * error and success), the address after a permanent redirect, items seen.
 *
 * `lastError`, `lastWarning` and `title` exist only to be shown (`newswatch feeds`), so they
 * are stored as safe lines: no URL credentials, no control characters.
 * `currentUrl` is fetched from and is kept as it is; show it with redactUrl.
 */
import { hashId } from "../../ids.js";
import { redactUrl, safeLine } from "../../logger.js";
import { printable } from "../../printable.js";
import { ownKey, type RedisClient } from "../../queues/connection.js";
import { execAll } from "../../queues/exec-all.js";

export interface FeedState {
  /** Where the feed lives now, after a permanent redirect; null = the configured URL. */
  currentUrl: string | null;
  etag: string | null;
  lastModified: string | null;
  failures: number;
  backoffUntil: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  /** What the last successful poll had to cut or leave (items past the cap, fields cut, nesting flattened). */
  lastWarning: string | null;
  lastSuccess: number | null;
  lastPoll: number | null;
  /** Distinct items remembered since the feed was first polled. */
  itemsSeen: number;
  /** True once a poll succeeded: later items are new, the first poll's are backlog. */
  initialized: boolean;
  title: string | null;
}

export type FeedStatePatch = Partial<Omit<FeedState, "itemsSeen">>;

export interface FeedStateStore {
  get(feedUrl: string): Promise<FeedState>;
  /** Writes the fields given (null clears one) and adds `newItems` to itemsSeen. */
  update(feedUrl: string, patch: FeedStatePatch, newItems?: number): Promise<void>;
}

export function fromHash(h: Record<string, string>): FeedState {
  const num = (k: string) => (h[k] === undefined ? null : Number(h[k]));
  return {
    currentUrl: h.currentUrl ?? null,
    etag: h.etag ?? null,
    lastModified: h.lastModified ?? null,
    failures: num("failures") ?? 0,
    backoffUntil: num("backoffUntil"),
    lastError: h.lastError ?? null,
    lastErrorAt: num("lastErrorAt"),
    lastWarning: h.lastWarning ?? null,
    lastSuccess: num("lastSuccess"),
    lastPoll: num("lastPoll"),
    itemsSeen: num("itemsSeen") ?? 0,
    initialized: h.initialized === "1",
    title: h.title ?? null,
  };
}

/** A display-only field as it is stored. */
function shown(field: string, value: string): string {
  if (field === "lastError" || field === "lastWarning") return safeLine(value);
  if (field === "title") return printable(value);
  return value;
}

export function feedStateKey(prefix: string, feedUrl: string): string {
  return ownKey(prefix, "feed", hashId(feedUrl));
}

export function createFeedStateStore(redis: RedisClient, prefix: string, ttlMs: number): FeedStateStore {
  return {
    async get(feedUrl) {
      return fromHash(await redis.hgetall(feedStateKey(prefix, feedUrl)));
    },
    async update(feedUrl, patch, newItems = 0) {
      const key = feedStateKey(prefix, feedUrl);
      const set: Record<string, string> = {};
      const clear: string[] = [];
      for (const [k, v] of Object.entries(patch)) {
        if (v === null || v === undefined) clear.push(k);
        else set[k] = typeof v === "boolean" ? (v ? "1" : "0") : shown(k, String(v));
      }
      const tx = redis.multi();
      if (Object.keys(set).length > 0) tx.hset(key, set);
      if (clear.length > 0) tx.hdel(key, ...clear);
      if (newItems > 0) tx.hincrby(key, "itemsSeen", newItems);
      tx.pexpire(key, ttlMs);
      await execAll(tx, `feeds/feed-state: updating the state of ${redactUrl(feedUrl)} in ${key}`);
    },
  };
}
