/**
 * How the pipeline's stages run in each process and what their queues keep:
 * jobs in flight per stage, tries per job, how long finished jobs stay in
 * Redis, and the size of the alert stage's HTTP connection pool. (The alert
 * stage's concurrency is `alerts.concurrency`; alert jobs get their tries
 * from `alerts.retryHorizon`.)
 */
import { z } from "zod";
import { Duration } from "../duration.js";

const Concurrency = (fallback: number, why: string) => z.number().int().min(1).max(1_000).default(fallback).describe(why);

const Keep = (age: number, what: string) =>
  z
    .strictObject({
      age: Duration.default(age).describe(`How long a ${what} job stays in Redis`),
      count: z.number().int().min(0).default(50_000).describe(`Most ${what} jobs kept per queue`),
    })
    .prefault({})
    .describe(`Retention of ${what} jobs`);

export const StagesSection = z
  .strictObject({
    /** @defaultValue 50: polls wait on the network, not the CPU; one slow feed must not hold up the others */
    poll: z.strictObject({ concurrency: Concurrency(50, "Feeds polled at once per process") }).prefault({}),
    /** @defaultValue 1: classifying is CPU work on the thread pool (cpu.threads) */
    classify: z.strictObject({ concurrency: Concurrency(1, "Classify jobs (one poll's new stories each) at once per process") }).prefault({}),
    /** @defaultValue 4: each job is a few Redis round trips; more only adds commit conflicts between related stories */
    dedupe: z.strictObject({ concurrency: Concurrency(4, "Stories deduplicated at once per process") }).prefault({}),
    alert: z
      .strictObject({
        /** @defaultValue 64 */
        connections: z.number().int().min(1).max(1_024).default(64).describe("Keep-alive connections per webhook origin, shared by a process's deliveries"),
        /** @defaultValue 30s */
        keepAlive: Duration.default(30_000).describe("How long an idle webhook connection stays open"),
      })
      .prefault({}),
    /** @defaultValue 8 */
    attempts: z.number().int().min(1).max(100).default(8).describe("Tries of a classify or dedupe job (with exponential backoff from 2s) before it fails"),
    /** Completed jobs are kept a day so that re-adding a finished job's id stays a no-op (DESIGN.md §1). */
    completed: Keep(86_400_000, "completed"),
    /** Failed jobs are kept for `jobs failed` / `alerts failed` and a retry. */
    failed: Keep(30 * 86_400_000, "failed"),
  })
  .prefault({})
  .describe("Per-stage concurrency, tries and job retention");
export type StagesSection = z.infer<typeof StagesSection>;
