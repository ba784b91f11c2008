/**
 * The record of a completed delivery, one per story, channel and kind (the
 * alert job id). Written after success and read before sending, so a
 * delivery that went through is never repeated; a crash between sending and
 * writing repeats it with the same idempotency key, which the receiver drops.
 *
 * A value that is not a record fails the read, naming its key, rather than
 * reading as "not delivered": that would send the alert again.
 */
import { z } from "zod";
import { formatIssues } from "../config/issues.js";
import { ownKey, type RedisClient } from "../queues/connection.js";
import type { DeliveryStore } from "./stores.js";

export const DeliveryInfo = z.object({
  channel: z.string(),
  at: z.number(),
  detail: z.string(),
});
export type DeliveryInfo = z.infer<typeof DeliveryInfo>;

export function deliveredKey(prefix: string, deliveryId: string): string {
  return ownKey(prefix, "delivered", deliveryId);
}

/** Reads a stored record; throws, naming `key`, when the text is not one. */
export function parseDeliveryInfo(key: string, raw: string): DeliveryInfo {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error(`alerts/delivery-record: ${key} is not JSON`);
  }
  const parsed = DeliveryInfo.safeParse(value);
  if (!parsed.success) throw new Error(`alerts/delivery-record: ${key} is not a delivery record: ${formatIssues(parsed.error.issues).join("; ")}`);
  return parsed.data;
}

export async function findDelivery(redis: RedisClient, prefix: string, deliveryId: string): Promise<DeliveryInfo | null> {
  const key = deliveredKey(prefix, deliveryId);
  const raw = await redis.get(key);
  return raw === null ? null : parseDeliveryInfo(key, raw);
}

/** The delivery records in Redis; each lives `ttlMs` (alerts.deliveredTtl). */
export function redisDeliveryStore(redis: RedisClient, prefix: string, ttlMs: number): DeliveryStore {
  return {
    find: (deliveryId) => findDelivery(redis, prefix, deliveryId),
    async record(deliveryId, info) {
      await redis.set(deliveredKey(prefix, deliveryId), JSON.stringify(DeliveryInfo.parse(info)), "PX", ttlMs);
    },
  };
}
