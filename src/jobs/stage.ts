/**
 * The contract between a pipeline stage and the worker that runs it: a stage
 * is built from the shared context and processes one validated payload.
 */
import type { BackoffStrategy, Job } from "bullmq";
import type { z } from "zod";
import type { Clock } from "../clock.js";
import type { Config } from "../config/schema.js";
import type { Logger } from "../logger.js";
import type { CpuPool } from "../offload/pool.js";
import type { RedisClient } from "../queues/connection.js";
import type { PAYLOADS, Queues } from "../queues/factory.js";
import type { QueueName } from "../queues/names.js";

export interface StageContext {
  config: Config;
  /** Path of the config file (for commands that rewrite it, e.g. a permanent redirect). */
  configFile: string;
  /** For our own keys; BullMQ queues have their own connections. */
  redis: RedisClient;
  queues: Queues;
  log: Logger;
  clock: Clock;
  /** Worker threads for parsing and classifying; absent, that work runs on this thread (tests, CLI). */
  cpu?: CpuPool;
}

export interface Stage<Q extends QueueName> {
  queue: Q;
  /** Jobs this stage runs at once in one process. @defaultValue 1 */
  concurrency?: number;
  /** BullMQ rate limit for the whole queue (all processes). */
  limiter?: { max: number; duration: number };
  process(data: z.output<(typeof PAYLOADS)[Q]>, job: Job, log: Logger): Promise<unknown>;
  /** The Worker's custom backoff (jobs opt in with `backoff: { type: "custom" }`). */
  backoffStrategy?: BackoffStrategy;
  /** Releases what the stage opened (SMTP pools, HTTP agents). */
  close?(): Promise<void>;
}

export type StageFactory<Q extends QueueName> = (ctx: StageContext) => Stage<Q> | Promise<Stage<Q>>;
