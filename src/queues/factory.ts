/**
 * Builds every queue in one place, with the pipeline's default job options,
 * and the typed `enqueue` that checks a payload before it is added.
 */
import { Queue, type JobsOptions } from "bullmq";
import type { z } from "zod";
import { StagesSection } from "../config/sections/stages.js";
import { keyTag, reportRedisError, type RedisClient } from "./connection.js";
import { JOB_NAMES, QUEUES, type QueueName } from "./names.js";
import { AlertJob, ClassifyJob, DedupeJob, PollJob } from "./payloads.js";

export const PAYLOADS = {
  poll: PollJob,
  classify: ClassifyJob,
  dedupe: DedupeJob,
  alert: AlertJob,
} as const satisfies Record<QueueName, z.ZodType>;

export type Payload<Q extends QueueName> = z.input<(typeof PAYLOADS)[Q]>;

/**
 * The pipeline's job options under the config's `stages`: failed jobs are
 * kept (with their reason and stack) for inspection; completed ones are
 * trimmed but kept long enough that re-adding a finished job's id is a no-op.
 */
export function jobOptions(stages: StagesSection): JobsOptions {
  return {
    attempts: stages.attempts,
    backoff: { type: "exponential", delay: 2_000 },
    removeOnComplete: { age: Math.ceil(stages.completed.age / 1000), count: stages.completed.count },
    removeOnFail: { age: Math.ceil(stages.failed.age / 1000), count: stages.failed.count },
  };
}

/** The options of a config that leaves `stages` at its defaults (commands that open a queue without a config). */
export const DEFAULT_JOB_OPTIONS: JobsOptions = jobOptions(StagesSection.parse({}));

export type Queues = { [Q in QueueName]: Queue };

/** One queue under the prefix, as the service and every command open it. */
export function openQueue(connection: RedisClient, name: QueueName, prefix: string, defaults: JobsOptions = DEFAULT_JOB_OPTIONS): Queue {
  // A Queue relays its connection's errors; without a listener it prints each one with its stack.
  return new Queue(name, { connection, prefix: keyTag(prefix), defaultJobOptions: defaults }).on("error", (err) =>
    reportRedisError(`${name} queue`, err),
  );
}

/** `defaults` apply to jobs added without their own options; the stages pass theirs (so a reload applies). */
export function createQueues(connection: RedisClient, prefix: string, defaults: JobsOptions = DEFAULT_JOB_OPTIONS): Queues {
  const make = (name: QueueName) => openQueue(connection, name, prefix, defaults);
  return { poll: make(QUEUES.poll), classify: make(QUEUES.classify), dedupe: make(QUEUES.dedupe), alert: make(QUEUES.alert) };
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}

/** Adds a job after checking its payload; a deterministic `jobId` makes a repeat a no-op. */
export async function enqueue<Q extends QueueName>(
  queues: Queues,
  queue: Q,
  jobId: string,
  data: Payload<Q>,
  options: JobsOptions = {},
): Promise<void> {
  const parsed = PAYLOADS[queue].parse(data);
  await queues[queue].add(JOB_NAMES[queue], parsed, { ...options, jobId });
}

/** Adds many jobs of one queue in one round trip. */
export async function enqueueBulk<Q extends QueueName>(
  queues: Queues,
  queue: Q,
  jobs: { jobId: string; data: Payload<Q>; options?: JobsOptions }[],
): Promise<void> {
  if (jobs.length === 0) return;
  await queues[queue].addBulk(
    jobs.map((j) => ({ name: JOB_NAMES[queue], data: PAYLOADS[queue].parse(j.data), opts: { ...j.options, jobId: j.jobId } })),
  );
}
