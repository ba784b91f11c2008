/**
 * Runs the alert stage the way the service does, for tests and the bench:
 * a StageContext of our own, and a BullMQ Worker on the alert queue with the
 * stage's backoff strategy. Also builds test alerts.
 */
import { Worker } from "bullmq";
import { pino } from "pino";
import { systemClock } from "../../src/clock.js";
import { ConfigSchema, type Config } from "../../src/config/schema.js";
import { createAlertStage } from "../../src/jobs/send-alert.js";
import type { Stage, StageContext } from "../../src/jobs/stage.js";
import { createRedis, keyTag, type Redis } from "../../src/queues/connection.js";
import { closeQueues, createQueues } from "../../src/queues/factory.js";
import { QUEUES } from "../../src/queues/names.js";
import { AlertJob, type Alert } from "../../src/queues/payloads.js";
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

export interface AlertWorkerOptions {
  concurrency?: number;
  /** Short locks let a test see a killed worker's job come back quickly. */
  lockDuration?: number;
  stalledInterval?: number;
}

export async function startAlertStage(config: Config, options: AlertWorkerOptions = {}): Promise<RunningAlertStage> {
  const redis: Redis = createRedis(config.redis.url);
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
  const ctx: StageContext = { config, configFile: "", redis, queues: createQueues(redis, config.redis.prefix), log, clock: systemClock };
  const stage = await createAlertStage(ctx);
  const connection = createRedis(config.redis.url);
  const worker = new Worker(QUEUES.alert, (job) => stage.process(AlertJob.parse(job.data), job, log.child({ jobId: job.id })), {
    connection,
    prefix: keyTag(config.redis.prefix),
    concurrency: options.concurrency ?? stage.concurrency ?? 1,
    settings: { backoffStrategy: stage.backoffStrategy },
    ...(options.lockDuration ? { lockDuration: options.lockDuration } : {}),
    ...(options.stalledInterval ? { stalledInterval: options.stalledInterval } : {}),
  });
  await worker.waitUntilReady();
  return {
    ctx,
    stage,
    worker,
    async close() {
      await worker.close();
      await stage.close?.();
      await closeQueues(ctx.queues);
      connection.disconnect();
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
