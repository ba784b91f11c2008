/**
 * The config a running service applied, kept in Redis under its prefix so
 * that `newswatch check` can say what a config would change. One key per
 * owner (config/owner.ts), overwritten at each start, reload and reconnect,
 * expiring 30 days after the last. Values read from the environment are
 * stored replaced (config/redact.ts): no secret is written to Redis.
 */
import { z } from "zod";
import { redactConfig } from "../config/redact.js";
import type { Config } from "../config/schema.js";
import { hashId } from "../ids.js";
import { parseJsonAs } from "../json-as.js";
import { ownKey, type RedisClient } from "../queues/connection.js";

const TTL_SECONDS = 30 * 86_400;

export const AppliedConfig = z.object({ owner: z.string(), file: z.string(), at: z.number(), config: z.record(z.string(), z.unknown()) });
export type AppliedConfig = z.infer<typeof AppliedConfig>;

const key = (prefix: string, owner: string) => ownKey(prefix, "config", "applied", hashId(owner));

export async function storeAppliedConfig(redis: RedisClient, config: Config, owner: string, file: string, at: number): Promise<void> {
  const record: AppliedConfig = { owner, file, at, config: redactConfig(config) as unknown as Record<string, unknown> };
  await redis.set(key(config.redis.prefix, owner), JSON.stringify(record), "EX", TTL_SECONDS);
}

/** The stored copy, or null when there is none (no service ran this config in the last 30 days) or it does not parse. */
export async function readAppliedConfig(redis: RedisClient, prefix: string, owner: string): Promise<AppliedConfig | null> {
  return parseJsonAs(AppliedConfig, await redis.get(key(prefix, owner)));
}
