/**
 * Runs one stage as a BullMQ Worker: validates each payload (a bad one fails
 * at once, unretried), gives the job a child logger, and logs a failure once,
 * on the job's last attempt.
 */
import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { z } from "zod";
import { formatIssues } from "../config/load.js";
import type { Stage, StageContext } from "../jobs/stage.js";
import { createRedis, keyTag } from "../queues/connection.js";
import { PAYLOADS } from "../queues/factory.js";
import type { QueueName } from "../queues/names.js";

export interface StageWorker {
  worker: Worker;
  /** Lets in-flight jobs finish, then closes the worker's own Redis connection (BullMQ leaves a passed-in one open). */
  close(): Promise<void>;
}

export function startStageWorker<Q extends QueueName>(stage: Stage<Q>, ctx: StageContext): StageWorker {
  const { queue } = stage;
  const processor = async (job: Job) => {
    const parsed = PAYLOADS[queue].safeParse(job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(`${queue}: job ${job.id}: invalid payload: ${formatIssues(parsed.error.issues).join("; ")}`);
    }
    const log = ctx.log.child({ queue, jobId: job.id });
    return stage.process(parsed.data as z.output<(typeof PAYLOADS)[Q]>, job, log);
  };
  const connection = createRedis(ctx.config.redis.url);
  const worker = new Worker(queue, processor, {
    connection,
    prefix: keyTag(ctx.config.redis.prefix),
    concurrency: stage.concurrency ?? 1,
    ...(stage.limiter ? { limiter: stage.limiter } : {}),
    ...(stage.backoffStrategy ? { settings: { backoffStrategy: stage.backoffStrategy } } : {}),
  });
  worker.on("failed", (job, err) => {
    if (!job) return;
    const last = job.attemptsMade >= (job.opts.attempts ?? 1) || err instanceof UnrecoverableError;
    const log = ctx.log.child({ queue, jobId: job.id });
    if (last) log.error({ err, attempts: job.attemptsMade }, `${queue}: job failed for good: ${err.message}`);
    else log.warn({ attempt: job.attemptsMade }, `${queue}: attempt failed, will retry: ${err.message}`);
  });
  worker.on("error", (err) => ctx.log.error({ err, queue }, `${queue}: worker error: ${err.message}`));
  return {
    worker,
    async close() {
      await worker.close();
      await connection.quit();
    },
  };
}
