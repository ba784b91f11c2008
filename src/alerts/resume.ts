/**
 * Fast resume: when a channel answers again after failures, the deliveries
 * it failed are sent soon after instead of on their old backoff (which may
 * be an hour away by then). A retryable failure adds its alert job id to a
 * per-channel set; a success on the channel pops a batch of that set and
 * promotes those jobs from delayed to waiting, where they take the channel's
 * rate-limit slot like any send. Only the set is read, never the delayed
 * queue, so a success costs one SPOP when nothing failed; a set that outgrows
 * a batch drains with the next successes.
 *
 * Safe with many workers without a lock: SPOP hands each id to one caller,
 * and promoting a job that is no longer delayed is a no-op. A failing job
 * still in its try when its id is popped goes back into the set, so that the
 * next success promotes it once it is delayed.
 */
import { Job, type Queue } from "bullmq";
import { ownKey, type RedisClient } from "../queues/connection.js";
import { execAll } from "../queues/exec-all.js";
import type { FailingDeliveries } from "./stores.js";

/** Promotions per success; a larger backlog follows with the next successes. */
const RESUME_BATCH = 200;

export function failingKey(prefix: string, channel: string): string {
  return ownKey(prefix, "failing", channel);
}

/** Adds an id to the set and (re)starts its TTL in one transaction; a failed command fails the call, naming the key. */
async function addFailing(redis: RedisClient, key: string, id: string, ttlMs: number): Promise<void> {
  await execAll(redis.multi().sadd(key, id).pexpire(key, ttlMs), `alerts/resume: adding to ${key}`);
}

/** Remembers a delivery that will be retried; the set lives `ttlMs` past its last failure. */
export async function noteFailing(redis: RedisClient, prefix: string, channel: string, jobId: string, ttlMs: number): Promise<void> {
  await addFailing(redis, failingKey(prefix, channel), jobId, ttlMs);
}

/**
 * Promotes up to `batch` of the channel's failed deliveries that wait for a
 * retry; resolves with how many were. An id put back lives `ttlMs` (as in
 * noteFailing): SPOP may have emptied the set, and a set re-created by SADD
 * alone would have no TTL (DESIGN.md §3).
 */
export async function resumeChannel(redis: RedisClient, prefix: string, queue: Queue, channel: string, ttlMs: number, batch = RESUME_BATCH): Promise<number> {
  const key = failingKey(prefix, channel);
  const ids = await redis.spop(key, batch);
  if (ids.length === 0) return 0;
  const promoted = await Promise.all(
    ids.map(async (id) => {
      const job = await Job.fromId(queue, id);
      if (!job) return false;
      try {
        await job.promote();
        return true;
      } catch {
        // Not delayed: waiting or done needs nothing; still active may fail again, so keep it for the next success.
        if ((await job.getState()) === "active") await addFailing(redis, key, id, ttlMs);
        return false;
      }
    }),
  );
  return promoted.filter(Boolean).length;
}

/** The failing sets in Redis; alert jobs carry their delivery id as job id (enqueue.ts), so that is what is noted and promoted. */
export function redisFailingDeliveries(redis: RedisClient, prefix: string, queue: Queue, ttlMs: number): FailingDeliveries {
  return {
    note: (channel, deliveryId) => noteFailing(redis, prefix, channel, deliveryId, ttlMs),
    resume: (channel) => resumeChannel(redis, prefix, queue, channel, ttlMs),
  };
}
