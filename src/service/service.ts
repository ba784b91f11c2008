/**
 * The service: builds the shared context, syncs feed schedulers when the poll
 * stage runs here, starts one BullMQ worker per chosen stage, and stops them
 * gracefully (in-flight jobs finish, then Redis connections close).
 */
import { systemClock, type Clock } from "../clock.js";
import type { Config } from "../config/schema.js";
import { STAGE_FACTORIES } from "../jobs/index.js";
import type { Stage, StageContext } from "../jobs/stage.js";
import type { Logger } from "../logger.js";
import { redactUrl } from "../logger.js";
import { createCpuPool } from "../offload/pool.js";
import { createRedis } from "../queues/connection.js";
import { closeQueues, createQueues } from "../queues/factory.js";
import type { QueueName } from "../queues/names.js";
import { createMetrics, startMetricsServer, type MetricsServer } from "./metrics.js";
import { syncFeedSchedulers } from "./schedulers.js";
import { startStageWorker, type StageWorker } from "./stage-worker.js";

export interface ServiceOptions {
  config: Config;
  configFile: string;
  stages: readonly QueueName[];
  log: Logger;
  clock?: Clock;
}

export interface RunningService {
  ctx: StageContext;
  workers: StageWorker[];
  /** Set when config.metrics.port is. */
  metrics: MetricsServer | null;
  stop(): Promise<void>;
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { config, log, stages } = options;
  const redis = createRedis(config.redis.url);
  const queues = createQueues(redis, config.redis.prefix);
  // Parsing and classifying run on worker threads, so a hostile item cannot stall this event loop.
  const cpu = stages.some((s) => s === "poll" || s === "classify") ? createCpuPool({ topics: config.topics, threads: config.cpu.threads, budgetMs: config.cpu.taskTime, memoryMb: config.cpu.memory }) : undefined;
  await cpu?.warm();
  const ctx: StageContext = { config, configFile: options.configFile, redis, queues, log, clock: options.clock ?? systemClock, cpu };
  log.info({ redis: redactUrl(config.redis.url), prefix: config.redis.prefix, stages }, "newswatch: starting");

  if (stages.includes("poll")) {
    const { upserted, removed } = await syncFeedSchedulers(queues.poll, config);
    log.info({ feeds: upserted, removed: removed.map(redactUrl) }, `newswatch: ${upserted} feed(s) scheduled${removed.length ? `, ${removed.length} removed` : ""}`);
  }
  const built: Stage<QueueName>[] = [];
  for (const name of stages) built.push((await STAGE_FACTORIES[name](ctx)) as Stage<QueueName>);
  const workers = built.map((stage) => startStageWorker(stage, ctx));
  let metrics: MetricsServer | null = null;
  if (config.metrics.port !== undefined) {
    const { registry, observe } = createMetrics(queues);
    for (const w of workers) observe(w.worker);
    metrics = await startMetricsServer(registry, redis, config.metrics.port, config.metrics.host);
    log.info({ url: metrics.url }, "newswatch: serving /metrics and /healthz");
  }

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      log.info("newswatch: stopping, finishing in-flight jobs");
      await metrics?.close();
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(built.map((s) => s.close?.()));
      await cpu?.close();
      await closeQueues(queues);
      await redis.quit();
      log.info("newswatch: stopped");
    })();
    return stopping;
  };
  return { ctx, workers, metrics, stop };
}
