/**
 * The worker threads that parse feeds and classify stories (offload/pool.ts),
 * so a hostile document or item costs one thread a bounded time and memory,
 * never the event loop that renews BullMQ locks and answers /healthz.
 */
import { z } from "zod";
import { Duration } from "../duration.js";

export const CpuSection = z
  .strictObject({
    /**
     * Worker threads per process.
     * @defaultValue 2: parsing and classifying are a small share of a poll's time, mostly spent waiting on the network
     */
    threads: z.number().int().min(1).max(64).default(2).describe("Worker threads for parsing and classifying"),
    /**
     * Time one parse or one classify batch may take before its thread is stopped; the feed (or story) then fails with that error.
     * @defaultValue 10s: a capped document of 10 MB parses in about a second here
     */
    taskTime: Duration.default(10_000).describe("Longest one parse or classify task may run before it is stopped"),
    /**
     * Heap of one worker thread, in MB; a task that needs more fails instead of growing the process.
     * @defaultValue 512
     */
    memory: z.number().int().min(64).max(16_384).default(512).describe("Heap of one worker thread (MB)"),
  })
  .prefault({});
export type CpuSection = z.infer<typeof CpuSection>;
