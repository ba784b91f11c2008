import type { RedisOptions } from "ioredis";
import { createRedisClient, type RedisClient, type RedisConnectionConfig } from "../queues/connection.js";

/** A command fails fast when Redis is down (three tries to connect, one per request) rather than wait like a worker. */
export const CLI_REDIS_OPTIONS: RedisOptions = { maxRetriesPerRequest: 1, retryStrategy: (n) => (n > 2 ? null : 200) };

/** A connected Redis client for a command (CLI_REDIS_OPTIONS). */
export async function connectCliRedis(section: RedisConnectionConfig): Promise<RedisClient> {
  const redis = createRedisClient(section, { ...CLI_REDIS_OPTIONS, lazyConnect: true });
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  return redis;
}
