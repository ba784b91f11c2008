/**
 * The state the alert stage keeps between tries and between processes, as
 * narrow interfaces: Redis implementations (redis-stores.ts) for the service,
 * in-memory ones (memory-stores.ts) for offline runs and unit tests. Each
 * promise below is what makes a delivery exactly-once in effect (DESIGN.md §1).
 */
import type { RateLimit } from "../config/sections/alerts.js";
import type { Alert } from "../model/index.js";
import type { DeliveryInfo } from "./delivery-record.js";
import type { DigestWindow } from "./digest-store.js";

/** Records of completed deliveries, one per delivery id; each lives the configured `alerts.deliveredTtl`. */
export interface DeliveryStore {
  find(deliveryId: string): Promise<DeliveryInfo | null>;
  record(deliveryId: string, info: DeliveryInfo): Promise<void>;
}

/** A per-channel fixed window shared by every process. */
export interface RateLimiter {
  /** Counts one send; 0 when the channel may send now, else the milliseconds until its window reopens. */
  take(channel: string, limit: RateLimit): Promise<number>;
}

/** A digest channel's alerts, held per window until its flush; an alert after the flush goes to the next window. */
export interface DigestStore {
  /** Adds an alert (keyed by its delivery id, so a repeat is a no-op) to the open window at `now`. */
  collect(channel: string, windowMs: number, now: number, entry: { id: string; alert: Alert; ttlMs: number }): Promise<DigestWindow>;
  /** Closes a window and returns what it collected; safe to repeat. */
  close(channel: string, window: number, ttlMs: number): Promise<Alert[]>;
}

/** Deliveries waiting out a retry, per channel, so that the channel's next success sends them soon (resume.ts). */
export interface FailingDeliveries {
  note(channel: string, deliveryId: string): Promise<void>;
  /** Sends the channel's noted deliveries on now; resolves with how many went. */
  resume(channel: string): Promise<number>;
}

export interface AlertStores {
  deliveries: DeliveryStore;
  rateLimiter: RateLimiter;
  digests: DigestStore;
  failing: FailingDeliveries;
}
