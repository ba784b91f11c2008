/** The alert stage's state in Redis, shared by every worker process (stores.ts has the rules). */
import type { Queue } from "bullmq";
import type { AlertsSection } from "../config/sections/alerts.js";
import type { RedisClient } from "../queues/connection.js";
import { redisDeliveryStore } from "./delivery-record.js";
import { closeDigest, collectForDigest } from "./digest-store.js";
import { takeRateSlot } from "./rate-limit.js";
import { redisFailingDeliveries } from "./resume.js";
import type { AlertStores } from "./stores.js";

/** Stores under `prefix`; `alertQueue` is where noted deliveries are promoted from when their channel answers again. */
export function redisAlertStores(redis: RedisClient, prefix: string, alertQueue: Queue, alerts: Pick<AlertsSection, "deliveredTtl" | "retryHorizon">): AlertStores {
  return {
    deliveries: redisDeliveryStore(redis, prefix, alerts.deliveredTtl),
    rateLimiter: { take: (channel, limit) => takeRateSlot(redis, prefix, channel, limit) },
    digests: {
      collect: (channel, windowMs, now, entry) => collectForDigest(redis, prefix, channel, windowMs, now, entry),
      close: (channel, window, ttlMs) => closeDigest(redis, prefix, channel, window, ttlMs),
    },
    failing: redisFailingDeliveries(redis, prefix, alertQueue, alerts.retryHorizon),
  };
}
