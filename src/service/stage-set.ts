/**
 * The stages a service runs, swappable for a new config: built from a
 * StageContext, started as BullMQ workers, closed gracefully (in-flight jobs
 * finish first). A swap builds the new stages (and a new CPU pool when asked)
 * before it closes the old ones, so a config whose stages cannot be built
 * leaves the running ones untouched; between the old workers' close and the
 * new ones' start, jobs wait in Redis.
 */
import type { Worker } from "bullmq";
import type { Config } from "../config/schema.js";
import { STAGE_FACTORIES } from "../jobs/index.js";
import type { Stage, StageContext } from "../jobs/stage.js";
import type { Logger } from "../logger.js";
import { createCpuPool, type CpuPool } from "../offload/pool.js";
import type { QueueName } from "../queues/names.js";
import { startStageWorker, type StageWorker } from "./stage-worker.js";
import { coerceError } from "../errors.js";

export interface StageSet {
  /** The context of the config the stages run now. */
  readonly ctx: StageContext;
  readonly workers: StageWorker[];
  /** Starts the built stages' workers; `observe` sees each worker, now and after every swap. */
  start(observe?: (worker: Worker) => void): void;
  /** The same stages under a config that they do not read (feeds, owner). */
  setConfig(config: Config): void;
  /** Stages built for `config` replace the running ones; `newPool` opens a CPU pool for it (topics or cpu changed). */
  swap(config: Config, newPool: boolean): Promise<void>;
  /** Lets in-flight jobs finish, then releases the stages and the CPU pool. */
  close(): Promise<void>;
}

/** Parsing and classifying run on worker threads, so a hostile item cannot stall this event loop. */
const needsCpu = (names: readonly QueueName[]) => names.some((s) => s === "poll" || s === "classify");

async function openCpuPool(config: Config): Promise<CpuPool> {
  const pool = createCpuPool({ topics: config.topics, threads: config.cpu.threads, budgetMs: config.cpu.taskTime, memoryMb: config.cpu.memory });
  try {
    await pool.warm();
    return pool;
  } catch (err) {
    await pool.close();
    throw err;
  }
}

/** Builds every stage without taking jobs yet; when one fails, the ones built are released and the error rethrown. */
async function buildStages(ctx: StageContext, names: readonly QueueName[]): Promise<Stage<QueueName>[]> {
  const built: Stage<QueueName>[] = [];
  try {
    for (const name of names) built.push((await STAGE_FACTORIES[name](ctx)) as Stage<QueueName>);
    return built;
  } catch (err) {
    await Promise.allSettled(built.map((s) => s.close?.()));
    throw err;
  }
}

/** One failing closer does not keep the others open; their errors are logged. */
async function settle(log: Logger, closing: (Promise<unknown> | undefined)[]): Promise<void> {
  for (const r of await Promise.allSettled(closing)) if (r.status === "rejected") log.warn(`newswatch: closing a stage: ${coerceError(r.reason).message}`);
}

/** Builds the stages `names` (and the CPU pool they need) for `ctx` without starting them; on failure nothing stays open. */
export async function buildStageSet(base: Omit<StageContext, "cpu">, names: readonly QueueName[]): Promise<StageSet> {
  const log = base.log;
  let cpu = needsCpu(names) ? await openCpuPool(base.config) : undefined;
  let ctx: StageContext = { ...base, cpu };
  let stages: Stage<QueueName>[];
  try {
    stages = await buildStages(ctx, names);
  } catch (err) {
    await cpu?.close();
    throw err;
  }
  let workers: StageWorker[] = [];
  let observe: ((worker: Worker) => void) | undefined;
  const startWorkers = () => {
    workers = stages.map((stage) => startStageWorker(stage, ctx));
    if (observe) for (const w of workers) observe(w.worker);
  };
  const closeRunning = async () => {
    await settle(log, workers.map((w) => w.close()));
    await settle(log, stages.map((s) => s.close?.()));
  };

  return {
    get ctx() {
      return ctx;
    },
    get workers() {
      return workers;
    },
    start(watch) {
      observe = watch;
      startWorkers();
    },
    setConfig(config) {
      ctx = { ...ctx, config };
    },
    async swap(config, newPool) {
      const nextCpu = newPool && cpu ? await openCpuPool(config) : cpu;
      const nextCtx: StageContext = { ...ctx, config, cpu: nextCpu };
      let next: Stage<QueueName>[];
      try {
        next = await buildStages(nextCtx, names);
      } catch (err) {
        if (nextCpu !== cpu) await nextCpu?.close();
        throw err;
      }
      await closeRunning();
      const oldCpu = cpu;
      [ctx, stages, cpu] = [nextCtx, next, nextCpu];
      startWorkers();
      if (oldCpu !== cpu) await oldCpu?.close();
    },
    async close() {
      await closeRunning();
      await cpu?.close();
    },
  };
}
