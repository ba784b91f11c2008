/** The only place that creates Redis clients. */
import { Redis, type RedisOptions } from "ioredis";

export type { Redis };

/**
 * BullMQ workers block on Redis, so their connections must not give up on a
 * request (maxRetriesPerRequest: null); the same setting suits our own keys.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...options });
}

/** Hash-tagged so that a Redis Cluster keeps every newswatch key in one slot (DESIGN.md §3). */
export function keyTag(prefix: string): string {
  return `{${prefix}}`;
}

/** A key of our own under the configured prefix. */
export function ownKey(prefix: string, ...parts: string[]): string {
  return [keyTag(prefix), ...parts].join(":");
}
