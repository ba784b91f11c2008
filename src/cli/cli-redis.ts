import { createRedis, type Redis } from "../queues/connection.js";

/** A connected Redis client for a command: it fails fast (three tries to connect, one per request) rather than wait like a worker. */
export async function connectCliRedis(url: string): Promise<Redis> {
  const redis = createRedis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: (n) => (n > 2 ? null : 200) });
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  return redis;
}
