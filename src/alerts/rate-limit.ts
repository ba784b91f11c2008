/**
 * Per-channel rate limit across every worker process. BullMQ's limiter is
 * per queue and would hold back all channels for one slow receiver, so each
 * channel counts its own sends in Redis (a fixed window per channel).
 */
import type { RateLimit } from "../config/sections/alerts.js";
import { loadLua } from "../lua.js";
import { ownKey, type RedisClient } from "../queues/connection.js";

// Atomic: count this send, start the window on the first one, and answer how long to wait when over.
const TAKE_SLOT = loadLua(import.meta.url, "take-rate-slot.lua");

/** 0 when the channel may send now, else the milliseconds until its window reopens. */
export async function takeRateSlot(redis: RedisClient, prefix: string, channel: string, limit: RateLimit): Promise<number> {
  const wait = await redis.eval(TAKE_SLOT, 1, ownKey(prefix, "ratelimit", channel), JSON.stringify({ max: limit.max, per: limit.per }));
  return Number(wait);
}
