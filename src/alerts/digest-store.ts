/**
 * Digest collection in Redis: a hash per channel and window holds the
 * window's alerts until a delayed BullMQ job flushes it, so nothing is lost
 * when a process restarts mid-window. Flushing closes the window atomically;
 * an alert that arrives after that goes to the next window.
 */
import { ownKey, type RedisClient } from "../queues/connection.js";
import { Alert } from "../model/index.js";
import { loadLua } from "../lua.js";

const COLLECT = loadLua(import.meta.url, "digest-collect.lua");
const CLOSE = loadLua(import.meta.url, "digest-close.lua");

function keys(prefix: string, channel: string, window: number): [closed: string, items: string] {
  const base = ownKey(prefix, "digest", channel, String(window));
  return [`${base}:closed`, base];
}

export interface DigestWindow {
  /** Window number: start time divided by the window length. */
  window: number;
  /** When the window ends and its flush job runs (ms since epoch). */
  endsAt: number;
}

/**
 * Adds an alert (keyed by its delivery id, so a repeat is a no-op) to the
 * open window at `now`, or the next one if that was already flushed.
 * `ttlMs` must outlive the window plus the flush job's retries.
 */
export async function collectForDigest(
  redis: RedisClient,
  prefix: string,
  channel: string,
  windowMs: number,
  now: number,
  entry: { id: string; alert: Alert; ttlMs: number },
): Promise<DigestWindow> {
  const first = Math.floor(now / windowMs);
  for (let window = first; window < first + 3; window++) {
    const args = { id: entry.id, alert: JSON.stringify(entry.alert), ttlMs: entry.ttlMs };
    const added = await redis.eval(COLLECT, 2, ...keys(prefix, channel, window), JSON.stringify(args));
    if (Number(added) === 1) return { window, endsAt: (window + 1) * windowMs };
  }
  throw new Error(`alerts/digest: ${channel}: windows ${first}..${first + 2} all closed (clock skew?)`);
}

/** Closes a window (later alerts go to the next one) and returns what it collected; safe to repeat. */
export async function closeDigest(redis: RedisClient, prefix: string, channel: string, window: number, ttlMs: number): Promise<Alert[]> {
  const raw = (await redis.eval(CLOSE, 2, ...keys(prefix, channel, window), JSON.stringify({ ttlMs }))) as string[];
  return raw.map((text) => Alert.parse(JSON.parse(text)));
}
