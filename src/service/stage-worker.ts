/**
 * Runs one stage as a BullMQ Worker, and is the only module that adapts
 * BullMQ's Job to the stage contract (jobs/stage.ts): the attempt log is the
 * job's log, `delay` is moveToDelayed with the job's lock token, and the
 * signal fires on a graceful close (after the stage's `abortGrace`), so a
 * fetch or a send in flight stops; a
 * run stopped that way goes back to the queue without spending a try.
 *
 * It validates each payload (a bad one fails
 * at once, unretried), gives the job a child logger, and logs a failure once
 * per try: an expected one (a receiver's 4xx, a retryable HTTP or SMTP
 * failure) as one line without a stack, warn while it will be retried and
 * error on the last try; anything unexpected with its stack.
 *
 * Crash recovery (WORKER_TIMING). A worker holds a lock on each job it runs
 * and renews it; a job whose lock lapses is "stalled" and goes back to the
 * queue at the next stalled-job check (every process runs one; Redis keeps
 * them `stalledInterval` apart). After a SIGKILL its jobs are therefore
 * running again within lockDuration + stalledInterval = 15 s, against about
 * a minute with BullMQ's defaults (30 s each).
 * - lockDuration 10 s, renewed every 3 s: two renewals in a row may be late
 *   or lost before a live job is taken for stalled. Parsing and classifying
 *   run on worker threads, so this event loop is never busy that long.
 * - stalledInterval 5 s: one cheap Lua call per queue and interval, shared
 *   by every process.
 * - maxStalledCount out of reach: BullMQ's limit would fail a job for good on
 *   its second stall with attempts to spare (two crashes during one slow
 *   delivery lost the alert). Instead the stalls become used attempts when
 *   the job is next taken (queues/stalls.ts) and the job runs again at once
 *   — the lock's expiry already made it wait. A job that kills its worker
 *   every time thus fails after its attempts (8 for classify and dedupe, the
 *   retry horizon's for alerts) with a reason saying so, and `newswatch jobs
 *   retry` can send it again once the cause is fixed. Scheduler jobs (polls)
 *   just run again, as BullMQ does for them; what a poll can do to its
 *   process is bounded by the CPU pool's time and heap budget.
 */
import { DelayedError, UnrecoverableError, Worker, type Job } from "bullmq";
import { RetryableError } from "../alerts/retry.js";
import { formatIssues } from "../config/issues.js";
import type { JobHelpers, Stage, StageContext, StagePayload } from "../jobs/stage.js";
import type { Logger } from "../logger.js";
import { logAttempt } from "../queues/attempts.js";
import { createRedisClient, keyTag, reportRedisError } from "../queues/connection.js";
import { PAYLOADS } from "../queues/factory.js";
import type { QueueName } from "../queues/names.js";
import { takeStalls } from "../queues/stalls.js";

/** What the worker needs of the stage's context: where Redis is, the log and the clock. */
export type WorkerContext = Pick<StageContext, "config" | "redis" | "log" | "clock">;

/** Lock and stalled-job settings of every stage's Worker (see the header). */
const WORKER_TIMING = {
  lockDuration: 10_000,
  lockRenewTime: 3_000,
  stalledInterval: 5_000,
  /** Stalls are counted as attempts by us; BullMQ's own limit must never be the one that fails a job. */
  maxStalledCount: 1_000_000,
} as const;

/** Overrides for tests and benches; a service uses the defaults. */
export interface StageWorkerOptions {
  /** @defaultValue the stage's own concurrency */
  concurrency?: number;
  /** @defaultValue WORKER_TIMING.lockDuration */
  lockDuration?: number;
  /** @defaultValue WORKER_TIMING.lockRenewTime, or a third of a given lockDuration */
  lockRenewTime?: number;
  /** @defaultValue WORKER_TIMING.stalledInterval */
  stalledInterval?: number;
}

export interface StageWorker {
  worker: Worker;
  /**
   * Lets in-flight jobs finish, then closes the worker's own Redis connection
   * (BullMQ leaves a passed-in one open). `force` stops at once: jobs in
   * flight keep their locks until these lapse, as after a crash.
   */
  close(force?: boolean): Promise<void>;
}

const STOPPED = "its worker stopped while running it (crash, kill or lost lock)";

/** Turns stalls since the job's last start into used attempts; throws when they used up the last one. */
async function countStalls(ctx: WorkerContext, queue: QueueName, job: Job, log: Logger): Promise<void> {
  const { stalls, spent } = await takeStalls(ctx.redis, job);
  if (stalls === 0) return;
  const at = new Date(ctx.clock.now()).toISOString();
  for (let i = 0; i < stalls; i++) await logAttempt(job, { at, ok: false, detail: STOPPED });
  const times = `${stalls} time${stalls === 1 ? "" : "s"}`;
  if (spent) throw new UnrecoverableError(`${queue}: job ${job.id}: ${STOPPED} ${times}, and that used its last attempt`);
  log.warn({ stalls, attemptsMade: job.attemptsMade }, `${queue}: job ${job.id} runs again: ${STOPPED} ${times}`);
}

/** Failures we expect and explain in their message; a stack would only repeat our own frames. */
function isExpected(err: Error): boolean {
  return err instanceof UnrecoverableError || err instanceof RetryableError;
}

/** The queue as a stage sees it (jobs/stage.ts): BullMQ's Job stays here. */
function jobHelpers(job: Job, token: string | undefined, ctx: WorkerContext, log: Logger, signal: AbortSignal): JobHelpers {
  return {
    log,
    attempt: { number: job.attemptsMade + 1, log: (line) => logAttempt(job, line) },
    async delay(ms, reason) {
      // moveToDelayed does not count an attempt; DelayedError tells the worker the job has moved.
      await job.moveToDelayed(ctx.clock.now() + ms, token);
      throw new DelayedError(reason);
    },
    signal,
  };
}

export function startStageWorker<Q extends QueueName>(stage: Stage<Q>, ctx: WorkerContext, options: StageWorkerOptions = {}): StageWorker {
  const { queue } = stage;
  // Aborted by a graceful close: what a run waits on (a fetch, a send) stops rather than holding up the shutdown.
  const shutdown = new AbortController();
  const processor = async (job: Job, token?: string) => {
    const parsed = PAYLOADS[queue].safeParse(job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(`${queue}: job ${job.id}: invalid payload: ${formatIssues(parsed.error.issues).join("; ")}`);
    }
    const log = ctx.log.child({ queue, jobId: job.id });
    await countStalls(ctx, queue, job, log);
    try {
      return await stage.run(parsed.data as StagePayload<Q>, jobHelpers(job, token, ctx, log, shutdown.signal));
    } catch (err) {
      // A run cut short by the shutdown is not a failed try: it goes back to the queue for the next worker, at once;
      // a feed's scheduler job ends quietly and the feed is polled at its next tick.
      if (!shutdown.signal.aborted || err instanceof DelayedError || err instanceof UnrecoverableError) throw err;
      if (job.repeatJobKey) {
        log.info(`${queue}: job ${job.id} stopped by the shutdown; it runs at its next tick`);
        return { stopped: true };
      }
      log.info(`${queue}: job ${job.id} stopped by the shutdown; it runs again on the next worker`);
      await job.moveToDelayed(ctx.clock.now(), token);
      throw new DelayedError(`${queue}: stopped by the shutdown`);
    }
  };
  const lockDuration = options.lockDuration ?? WORKER_TIMING.lockDuration;
  const connection = createRedisClient(ctx.config.redis);
  const backoff = stage.backoffStrategy;
  const worker = new Worker(queue, processor, {
    connection,
    prefix: keyTag(ctx.config.redis.prefix),
    concurrency: options.concurrency ?? stage.concurrency,
    lockDuration,
    lockRenewTime: options.lockRenewTime ?? (options.lockDuration ? Math.round(lockDuration / 3) : WORKER_TIMING.lockRenewTime),
    stalledInterval: options.stalledInterval ?? WORKER_TIMING.stalledInterval,
    maxStalledCount: WORKER_TIMING.maxStalledCount,
    ...(backoff ? { settings: { backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) => backoff(attemptsMade, err ?? new Error("unknown failure")) } } : {}),
  });
  worker.on("failed", (job, err) => {
    if (!job) return;
    const last = job.attemptsMade >= (job.opts.attempts ?? 1) || err instanceof UnrecoverableError;
    const log = ctx.log.child({ queue, jobId: job.id });
    const fields = { attemptsMade: job.attemptsMade, attempts: job.opts.attempts ?? 1, ...(isExpected(err) ? {} : { err }) };
    if (last) log.error(fields, `${queue}: job failed for good: ${err.message}`);
    else log.warn(fields, `${queue}: try failed, will retry: ${err.message}`);
  });
  worker.on("error", (err) => reportRedisError(`${queue} worker`, err));
  return {
    worker,
    async close(force = false) {
      // Forced is a crash as tests play it: runs keep going, holding their locks until these lapse.
      let timer: NodeJS.Timeout | undefined;
      if (!force) {
        const stop = () => shutdown.abort(new Error(`${queue}: worker shutting down`));
        if (stage.abortGrace) timer = setTimeout(stop, stage.abortGrace);
        else stop();
      }
      await worker.close(force);
      clearTimeout(timer);
      await connection.quit();
    },
  };
}
