import { z } from "zod";

export const RedisSection = z
  .strictObject({
    /** Overridden by the REDIS_URL environment variable. */
    url: z.string().default("redis://127.0.0.1:6379").describe("Redis URL (REDIS_URL overrides it)"),
    /** Key prefix; wrapped in a hash tag so that a Redis Cluster keeps BullMQ's keys together. */
    prefix: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, "letters, digits, _ . - only")
      .default("newswatch")
      .describe("Key prefix for every Redis key"),
  })
  .prefault({});
