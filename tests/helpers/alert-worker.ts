/**
 * Runs the alert stage the way the service does, for tests and the bench:
 * a StageContext of our own and the service's stage worker (lock and stall
 * settings may be shortened). Also builds test alerts.
 */
import type { Worker } from "bullmq";
import { pino } from "pino";
import { systemClock, type Clock } from "../../src/clock.js";
import { ConfigSchema, type Config } from "../../src/config/schema.js";
import { createAlertStage } from "../../src/jobs/send-alert.js";
import type { Stage, StageContext } from "../../src/jobs/stage.js";
import { createRedisClient, type RedisClient } from "../../src/queues/connection.js";
import { closeQueues, createQueues } from "../../src/queues/factory.js";
import type { Alert } from "../../src/model/index.js";
import { startStageWorker, type StageWorkerOptions } from "../../src/service/stage-worker.js";
import { hashId } from "../../src/ids.js";

/** A config with only Redis and the given alerts section (every other section at its defaults). */
export function alertConfig(redisUrl: string, prefix: string, alerts: Record<string, unknown>): Config {
  return ConfigSchema.parse({ redis: { url: redisUrl, prefix }, alerts });
}

export interface RunningAlertStage {
  ctx: StageContext;
  stage: Stage<"alert">;
  worker: Worker;
  close(): Promise<void>;
}

export interface AlertWorkerOptions extends StageWorkerOptions {
  /** The stage's clock (digest windows, attempt times). @defaultValue systemClock */
  clock?: Clock;
}

export async function startAlertStage(config: Config, options: AlertWorkerOptions = {}): Promise<RunningAlertStage> {
  const { clock = systemClock, ...workerOptions } = options;
  const redis: RedisClient = createRedisClient(config.redis);
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
  const ctx: StageContext = { config, redis, queues: createQueues(redis, config.redis.prefix), log, clock };
  const stage = await createAlertStage(ctx);
  const running = startStageWorker(stage, ctx, workerOptions);
  await running.worker.waitUntilReady();
  return {
    ctx,
    stage,
    worker: running.worker,
    async close() {
      await running.close();
      await stage.close?.();
      await closeQueues(ctx.queues);
      redis.disconnect();
    },
  };
}

/** A distinct, valid alert; `n` varies its identity, title and score. */
export function testAlert(n: number, overrides: { title?: string; score?: number; cluster?: string; topics?: string[] } = {}): Alert {
  const id = hashId("test-story", String(n));
  return {
    version: 1,
    kind: "new",
    story: {
      id,
      title: overrides.title ?? `Test story number ${n} about naval drills`,
      link: `https://news.example/${n}`,
      source: "Example Wire",
      published: new Date(Date.UTC(2024, 0, 1, 12, n % 60)).toISOString(),
      description: `A made-up description for test story ${n}.`,
    },
    classification: {
      relevant: true,
      score: overrides.score ?? 0.5 + (n % 50) / 100,
      topics: overrides.topics ?? ["test-topic"],
      entities: [{ name: "Exampleland", type: "country" }],
      reasons: ["made-up reason"],
      evidence: null,
      relation: null,
    },
    dedupe: { verdict: "new", cluster: overrides.cluster ?? id, of: null, score: 0, entities: [], knownEvent: null, alsoReportedBy: [] },
  };
}
