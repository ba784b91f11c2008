/**
 * The record of a completed delivery, one per story, channel and kind (the
 * alert job id). Written after success and read before sending, so a
 * delivery that went through is never repeated; a crash between sending and
 * writing repeats it with the same idempotency key, which the receiver drops.
 */
import { ownKey, type RedisClient } from "../queues/connection.js";

export interface DeliveryInfo {
  channel: string;
  at: number;
  detail: string;
}

export function deliveredKey(prefix: string, deliveryId: string): string {
  return ownKey(prefix, "delivered", deliveryId);
}

export async function findDelivery(redis: RedisClient, prefix: string, deliveryId: string): Promise<DeliveryInfo | null> {
  const raw = await redis.get(deliveredKey(prefix, deliveryId));
  return raw === null ? null : (JSON.parse(raw) as DeliveryInfo);
}

export async function recordDelivery(
  redis: RedisClient,
  prefix: string,
  deliveryId: string,
  info: DeliveryInfo,
  ttlMs: number,
): Promise<void> {
  await redis.set(deliveredKey(prefix, deliveryId), JSON.stringify(info), "PX", ttlMs);
}
