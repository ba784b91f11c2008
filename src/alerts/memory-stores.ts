/**
 * The alert stage's state in memory, behind the same interfaces and with the
 * same rules as the Redis stores (stores.ts): for offline runs and unit
 * tests, one process only. Time comes from the clock, so TTLs and rate
 * windows can be stepped through.
 */
import type { Clock } from "../clock.js";
import type { Alert } from "../model/index.js";
import type { DeliveryInfo } from "./delivery-record.js";
import type { AlertStores } from "./stores.js";

/** A map whose entries vanish `ttlMs` after they were last set, as Redis keys with PX do. */
class Expiring<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  constructor(private readonly clock: Clock) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.until <= this.clock.now()) this.entries.delete(key);
    return entry && entry.until > this.clock.now() ? entry.value : undefined;
  }

  set(key: string, value: V, ttlMs: number): void {
    this.entries.set(key, { value, until: this.clock.now() + ttlMs });
  }
}

export interface MemoryAlertStores extends AlertStores {
  /** Deliveries noted as failing on a channel and not yet resumed. */
  failingOf(channel: string): string[];
}

export interface MemoryStoreOptions {
  /** How long a delivery record lives (alerts.deliveredTtl). */
  deliveredTtl: number;
  /** What a resume does with each noted delivery (there is no queue here); resolves whether it went. @defaultValue every one goes */
  promote?: (channel: string, deliveryId: string) => Promise<boolean>;
}

export function memoryAlertStores(clock: Clock, options: MemoryStoreOptions): MemoryAlertStores {
  const delivered = new Expiring<DeliveryInfo>(clock);
  const windows = new Map<string, { resetAt: number; count: number }>();
  const digests = new Expiring<{ closed: boolean; alerts: Map<string, Alert> }>(clock);
  const failing = new Map<string, Set<string>>();
  const digestKey = (channel: string, window: number) => `${channel}\u0000${window}`;

  return {
    deliveries: {
      find: async (id) => delivered.get(id) ?? null,
      record: async (id, info) => delivered.set(id, info, options.deliveredTtl),
    },
    rateLimiter: {
      async take(channel, limit) {
        const now = clock.now();
        const current = windows.get(channel);
        const window = current && current.resetAt > now ? current : { resetAt: now + limit.per, count: 0 };
        window.count++;
        windows.set(channel, window);
        return window.count <= limit.max ? 0 : window.resetAt - now;
      },
    },
    digests: {
      async collect(channel, windowMs, now, entry) {
        const first = Math.floor(now / windowMs);
        for (let window = first; window < first + 3; window++) {
          const key = digestKey(channel, window);
          const held = digests.get(key) ?? { closed: false, alerts: new Map<string, Alert>() };
          if (held.closed) continue;
          held.alerts.set(entry.id, entry.alert);
          digests.set(key, held, entry.ttlMs);
          return { window, endsAt: (window + 1) * windowMs };
        }
        throw new Error(`alerts/digest: ${channel}: windows ${first}..${first + 2} all closed (clock skew?)`);
      },
      async close(channel, window, ttlMs) {
        // The alerts stay: a flush that failed to send reads the same ones on its retry.
        const key = digestKey(channel, window);
        const held = digests.get(key) ?? { closed: true, alerts: new Map<string, Alert>() };
        digests.set(key, { closed: true, alerts: held.alerts }, ttlMs);
        return [...held.alerts.values()];
      },
    },
    failing: {
      async note(channel, id) {
        failing.set(channel, (failing.get(channel) ?? new Set()).add(id));
      },
      async resume(channel) {
        const ids = [...(failing.get(channel) ?? [])];
        failing.delete(channel);
        const went = await Promise.all(ids.map((id) => options.promote?.(channel, id) ?? true));
        return went.filter(Boolean).length;
      },
    },
    failingOf: (channel) => [...(failing.get(channel) ?? [])],
  };
}
