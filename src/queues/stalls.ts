/**
 * A stalled job is a crash, not a verdict. BullMQ moves a job whose worker
 * stopped renewing its lock (SIGKILL, OOM, a lost host) back to waiting and
 * counts that in the job hash (`stc`); left to itself it fails the job for
 * good once the count passes `maxStalledCount`, whatever attempts it had
 * left. Our workers set that limit out of reach and, when they take a job,
 * turn the stalls since its last start into used attempts here, so a stall
 * costs what any failed try costs and a job that kills its worker every time
 * still ends in the failed set once its attempts are gone.
 *
 * Scheduler jobs (a feed's poll) have one attempt and a next tick; BullMQ
 * itself never fails them for stalling, and neither do we: they run again.
 */
import type { Job } from "bullmq";
import { loadLua } from "../lua.js";
import type { RedisClient } from "./connection.js";

const TAKE_STALLS = loadLua(import.meta.url, "take-stalls.lua");

export interface StallCount {
  /** Stalls since the job last started (0: a normal start). */
  stalls: number;
  /** Whether those stalls used up the job's attempts. */
  spent: boolean;
}

/** Counts the job's stalls as used attempts (updating `job.attemptsMade` too, which BullMQ's retry decision reads). */
export async function takeStalls(redis: RedisClient, job: Job): Promise<StallCount> {
  // The job hash was read when the job was taken, stall count included: most starts need no round trip.
  if (job.stalledCounter === 0) return { stalls: 0, spent: false };
  const attempts = job.opts.attempts ?? 1;
  const args = { attempts, counted: !job.repeatJobKey };
  const [stalls, made] = (await redis.eval(TAKE_STALLS, 1, `${job.queueQualifiedName}:${job.id ?? ""}`, JSON.stringify(args))) as [number, number];
  job.stalledCounter = 0;
  if (stalls === 0 || made < 0) return { stalls, spent: false };
  job.attemptsMade = Math.min(made, attempts - 1);
  return { stalls, spent: made >= attempts };
}
