/**
 * The one contract of every pipeline stage, as graphile-worker's
 * `(payload, helpers)`: a stage is `run(payload, helpers)`, where the payload
 * is already validated and the helpers carry only what a run may need of the
 * queue: a logger, its try (number and attempt log), a way to run again later
 * without spending a try, and a signal that fires when the worker shuts down.
 * Each stage's own effects (stores, senders, enqueue functions, clock) are
 * bound by its factory from the shared context. Only service/stage-worker.ts
 * knows BullMQ's Job; tests call `run` (or the stage's function) directly.
 */
import type { Clock } from "../clock.js";
import type { Config } from "../config/schema.js";
import type { Logger } from "../logger.js";
import type { CpuPool } from "../offload/pool.js";
import type { AttemptLine } from "../queues/attempts.js";
import type { RedisClient } from "../queues/connection.js";
import type { PAYLOADS, Queues } from "../queues/factory.js";
import type { QueueName } from "../queues/names.js";
import type { z } from "zod";

/** What a stage's factory builds its effects from. */
export interface StageContext {
  config: Config;
  /** For our own keys; BullMQ queues have their own connections. */
  redis: RedisClient;
  queues: Queues;
  log: Logger;
  clock: Clock;
  /** Worker threads for parsing and classifying; absent, that work runs on this thread (tests, CLI). */
  cpu?: CpuPool;
}

/** This run's place among the job's tries. */
export interface Attempt {
  /** 1 on the first try; counts failed tries and stalls, not delays. */
  number: number;
  /** Appends one line to the job's attempt log (queues/attempts.ts); resolves with its place in that log. */
  log(line: AttemptLine): Promise<number>;
}

/** What the worker hands each run: the queue, seen from the stage. */
export interface JobHelpers {
  /** Child logger with the queue and job id. */
  log: Logger;
  attempt: Attempt;
  /** Ends this run and runs the job again after `ms`, without spending a try (a channel's rate limit). Never resolves. */
  delay(ms: number, reason: string): Promise<never>;
  /** Aborted when the worker shuts down: a fetch or a send in flight stops. */
  signal: AbortSignal;
}

export type StagePayload<Q extends QueueName> = z.output<(typeof PAYLOADS)[Q]>;

export interface Stage<Q extends QueueName> {
  queue: Q;
  /** Jobs this stage runs at once in one process (config `stages`). */
  concurrency: number;
  /**
   * On a graceful close, how long runs in flight may go on before their
   * signal fires. 0 (the default) stops them at once: a stopped fetch or
   * classification just runs again. A delivery stopped after the receiver took
   * it is sent again under the same id, so the alert stage lets sends finish.
   */
  abortGrace?: number;
  run(payload: StagePayload<Q>, helpers: JobHelpers): Promise<unknown>;
  /** Delay before the next try after `attemptsMade` failed ones; jobs opt in with a custom `backoff.type` (the alert stage's). */
  backoffStrategy?: (attemptsMade: number, err: Error) => number;
  /** Releases what the stage opened (SMTP pools, HTTP agents). */
  close?(): Promise<void>;
}

export type StageFactory<Q extends QueueName> = (ctx: StageContext) => Stage<Q> | Promise<Stage<Q>>;
