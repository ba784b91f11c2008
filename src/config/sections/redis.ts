import { z } from "zod";
import { fromEnv } from "../env-field.js";

export const RedisSection = z
  .strictObject({
    /** Overridden by the REDIS_URL environment variable. */
    url: fromEnv(z.string()).default("redis://127.0.0.1:6379").describe("Redis URL (REDIS_URL overrides it); may hold ${ENV_VAR}"),
    /** Key prefix; wrapped in a hash tag so that a Redis Cluster keeps BullMQ's keys together. */
    prefix: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, "letters, digits, _ . - only")
      .default("newswatch")
      .describe("Key prefix for every Redis key"),
    /**
     * Start even when Redis's maxmemory-policy is not `noeviction`. An evicted
     * delivery record means the alert is sent again, so this is for setups
     * that accept repeats (a throwaway cache Redis, a test).
     * @defaultValue false
     */
    allowEviction: z
      .boolean()
      .default(false)
      .describe("Start even when Redis may evict keys (maxmemory-policy other than noeviction); evicted delivery records mean repeated alerts"),
  })
  .prefault({});
