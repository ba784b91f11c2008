/**
 * Per-channel rate limit across every worker process. BullMQ's limiter is
 * per queue and would hold back all channels for one slow receiver, so each
 * channel counts its own sends in Redis (a fixed window per channel).
 */
import type { RateLimit } from "../config/sections/alerts.js";
import { ownKey, type RedisClient } from "../queues/connection.js";

// Atomic: count this send, start the window on the first one, and answer how long to wait when over.
const TAKE_SLOT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if n <= tonumber(ARGV[1]) then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl <= 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return ttl`;

/** 0 when the channel may send now, else the milliseconds until its window reopens. */
export async function takeRateSlot(redis: RedisClient, prefix: string, channel: string, limit: RateLimit): Promise<number> {
  const wait = await redis.eval(TAKE_SLOT, 1, ownKey(prefix, "ratelimit", channel), limit.max, limit.per);
  return Number(wait);
}
