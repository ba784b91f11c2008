import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { createRedis, keyTag, scanKeys, type Redis, type RedisClient } from "../../src/queues/connection.js";

export function redisUrl(): string {
  return inject("redisUrl");
}

/** A key prefix of this test's own, so runs and files never collide. */
export function testPrefix(label = "t"): string {
  return `nwtest-${label}-${randomUUID().slice(0, 8)}`;
}

export function connect(): Redis {
  return createRedis(redisUrl());
}

/** Deletes every key under a prefix (BullMQ's and ours). */
export async function dropPrefix(redis: RedisClient, prefix: string): Promise<void> {
  for await (const keys of scanKeys(redis, `${keyTag(prefix)}*`)) {
    if (keys.length > 0) await redis.unlink(...keys);
  }
}
