/**
 * The service: builds the shared context, syncs feed schedulers when the poll
 * stage runs here, starts one BullMQ worker per chosen stage, and stops them
 * gracefully (in-flight jobs finish, then Redis connections close).
 *
 * Live config (`reload`): a new config is applied without a restart. Feeds
 * (and `owner`) only touch the job schedulers; any other change builds a new
 * set of stages first (and a new CPU pool when topics or cpu changed), then
 * closes the old workers gracefully and starts the new ones. Jobs wait in
 * Redis in between, so none is lost or run twice. The Redis connection, the
 * queues and the metrics server live as long as the process: a change to
 * redis.* or metrics.* is logged as needing a restart and the running value
 * stays. Reloads, stop and the scheduler re-sync after a reconnect run one at
 * a time, in order.
 */
import type { Worker } from "bullmq";
import { systemClock, type Clock } from "../clock.js";
import { diffConfig } from "../config/diff.js";
import { digestConfigFiles, type FileDigests } from "../config/files.js";
import { unresolvedFields } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { configWarnings } from "../config/warnings.js";
import { StartupError, coerceError } from "../errors.js";
import type { StageContext } from "../jobs/stage.js";
import { redactUrl, type Logger } from "../logger.js";
import { createRedisClient, describeRedis } from "../queues/connection.js";
import { closeQueues, createQueues } from "../queues/factory.js";
import type { QueueName } from "../queues/names.js";
import { appliedState } from "./applied-state.js";
import { createMetrics, startMetricsServer, type MetricsServer } from "./metrics.js";
import { buildStageSet } from "./stage-set.js";
import type { StageWorker } from "./stage-worker.js";

export interface ServiceOptions {
  config: Config;
  configFile: string;
  /** Digests of the config's reference and model files (LoadedConfig.files), so a reload sees them edited. */
  files?: FileDigests;
  stages: readonly QueueName[];
  log: Logger;
  clock?: Clock;
}

/** A config to apply: LoadedConfig fits. */
export interface ConfigUpdate {
  config: Config;
  files?: FileDigests;
}

export interface ReloadResult {
  applied: boolean;
  /** What changed, one short line each (config/diff.ts). */
  changes: string[];
  /** Changes kept for the next restart (redis.*, metrics.*). */
  restart: string[];
}

export interface RunningService {
  /** The context of the config applied now. */
  readonly ctx: StageContext;
  readonly workers: StageWorker[];
  /** Set when config.metrics.port is. */
  metrics: MetricsServer | null;
  /** Applies a new config; resolves once it runs (or was refused, with applied: false). */
  reload(next: ConfigUpdate): Promise<ReloadResult>;
  stop(): Promise<void>;
}

/** Sections that only the job schedulers read: a change there needs no new stages. */
const SCHEDULE_ONLY = new Set(["feeds", "owner"]);

/** Undoes what start-up opened, last first, when a later step fails. */
async function unwind(closers: (() => unknown)[]): Promise<void> {
  for (const close of closers.reverse()) await Promise.resolve().then(close).catch(() => undefined);
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const unresolved = unresolvedFields(options.config);
  if (unresolved.length > 0) throw new StartupError(`config: ${unresolved.join(", ")} hold an unexpanded \${…}; the service needs every section's variables`);
  const closers: (() => unknown)[] = [];
  try {
    return await start(options, closers);
  } catch (err) {
    // A start-up that fails half-way leaves nothing open behind it (process.ts then exits with one message).
    await unwind(closers);
    throw err;
  }
}

async function start(options: ServiceOptions, closers: (() => unknown)[]): Promise<RunningService> {
  const { config, configFile, log, stages } = options;
  const clock = options.clock ?? systemClock;
  const redis = createRedisClient(config.redis);
  closers.push(() => redis.disconnect());
  const queues = createQueues(redis, config.redis.prefix);
  closers.push(() => closeQueues(queues));
  log.info({ redis: describeRedis(config.redis), prefix: config.redis.prefix, stages }, "newswatch: starting");
  for (const warning of configWarnings(config)) log.warn(`config: ${warning}`);

  const polls = stages.includes("poll");
  const state = appliedState({ redis, queues, configFile, clock, log });
  if (polls) {
    const { upserted, removed } = await state.sync(config, { known: new Set(), reportForeign: true });
    log.info({ feeds: upserted, removed: removed.map(redactUrl) }, `newswatch: ${upserted} feed(s) scheduled${removed.length ? `, ${removed.length} removed` : ""}`);
  }
  const set = await buildStageSet({ config, redis, queues, log, clock }, stages);
  closers.push(() => set.close());
  let metrics: MetricsServer | null = null;
  let observe: ((worker: Worker) => void) | undefined;
  if (config.metrics.port !== undefined) {
    const created = createMetrics(queues);
    observe = created.observe;
    const status = { config: () => set.ctx.config, redis, queues, clock, log };
    const { port, host } = config.metrics;
    metrics = await startMetricsServer(created.registry, redis, port, host, status).catch((err: Error) => {
      throw new StartupError(`metrics: cannot serve on ${host}:${port} (metrics.host, metrics.port): ${err.message}`, { cause: err });
    });
    closers.push(() => metrics?.close());
    log.info({ url: metrics.url }, "newswatch: serving /metrics, /healthz, the status page at / and Bull Board at /queues");
  }
  set.start(observe);
  await state.remember(config);

  let files = options.files ?? digestConfigFiles(config);
  let chain: Promise<unknown> = Promise.resolve();
  /** One at a time, in order: a reload waits for the one before it, stop for both. */
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = chain.then(task);
    chain = run.catch(() => undefined);
    return run;
  };
  let stopping: Promise<void> | null = null;

  const apply = async (next: ConfigUpdate): Promise<ReloadResult> => {
    const before = set.ctx.config;
    const nextFiles = next.files ?? digestConfigFiles(next.config);
    const { changes, restart, sections } = diffConfig(before, next.config, { before: files, after: nextFiles });
    const refused = { applied: false, changes, restart };
    for (const line of restart) log.warn(`config: ${line}: needs a restart; the running value stays`);
    // Held for the life of the process: the Redis connection, its queues and the metrics server.
    const applied: Config = { ...next.config, redis: before.redis, metrics: before.metrics };
    const unexpanded = unresolvedFields(applied);
    if (unexpanded.length > 0) {
      log.error(`config: not applied: ${unexpanded.join(", ")} hold an unexpanded \${…}`);
      return refused;
    }
    if (![...sections].some((s) => !SCHEDULE_ONLY.has(s))) set.setConfig(applied);
    else {
      try {
        await set.swap(applied, sections.has("topics") || sections.has("cpu"));
      } catch (err) {
        log.error({ err }, `config: not applied, the running config stays: ${coerceError(err).message}`);
        return refused;
      }
    }
    files = nextFiles;
    log.info({ changes }, changes.length > 0 ? `config: ${changes.join("; ")}` : "config: reloaded; nothing changed");
    const warnedBefore = configWarnings(before);
    for (const warning of configWarnings(applied)) if (!warnedBefore.includes(warning)) log.warn(`config: ${warning}`);
    if (polls) {
      await state.sync(applied, { known: new Set(before.feeds.map((f) => f.url)), reportForeign: true }).catch((err: Error) => {
        log.error(`config: applied, but the feed schedulers could not be synced (they will be when Redis reconnects): ${err.message}`);
      });
    }
    await state.remember(applied);
    return { applied: true, changes, restart };
  };
  const reload = (next: ConfigUpdate) => serial(async () => (stopping ? { applied: false, changes: [], restart: [] } : apply(next)));

  // Redis that comes back empty (restarted without persistence) has lost the schedulers: re-create them on reconnect.
  const onReady = () => {
    if (stopping || !polls) return;
    void serial(async () => {
      if (stopping) return;
      const applied = set.ctx.config;
      await state.sync(applied, { known: new Set(applied.feeds.map((f) => f.url)), reportForeign: false });
      await state.remember(applied);
    }).catch((err: Error) => log.warn(`redis: could not re-sync the job schedulers after a reconnect: ${err.message}`));
  };
  redis.on("ready", onReady);

  const stop = () => {
    stopping ??= serial(async () => {
      log.info("newswatch: stopping, finishing in-flight jobs");
      redis.off("ready", onReady);
      await metrics?.close();
      await set.close();
      await closeQueues(queues);
      await redis.quit();
      log.info("newswatch: stopped");
    });
    return stopping;
  };
  return {
    get ctx() {
      return set.ctx;
    },
    get workers() {
      return set.workers;
    },
    metrics,
    reload,
    stop,
  };
}
