import { afterEach, expect, it } from "vitest";
import { ConfigSchema } from "../../src/config/schema.js";
import { createLogger } from "../../src/logger.js";
import { startService, type RunningService } from "../../src/service/service.js";
import { connect, dropPrefix, redisUrl, testPrefix } from "../helpers/redis.js";

let service: RunningService | undefined;
const prefix = testPrefix("metrics");

afterEach(async () => {
  await service?.stop();
  const redis = connect();
  await dropPrefix(redis, prefix);
  await redis.quit();
});

it("serves queue depths and a health check when metrics.port is set", async () => {
  const config = ConfigSchema.parse({ redis: { url: redisUrl(), prefix }, metrics: { port: 0 } });
  service = await startService({ config, configFile: "test.yaml", stages: ["classify"], log: createLogger({ level: "silent", pretty: false }) });
  await service.ctx.queues.alert.add("send-alert", {}, { delay: 60_000 });
  const url = service.metrics?.url;
  expect(url).toBeDefined();

  const health = await fetch(`${url}/healthz`);
  expect(health.status).toBe(200);
  const body = await (await fetch(`${url}/metrics`)).text();
  expect(body).toContain('newswatch_queue_jobs{queue="alert",state="delayed"} 1');
  expect(body).toContain('newswatch_queue_jobs{queue="poll",state="waiting"} 0');
  expect(body).toContain("newswatch_process_cpu_seconds_total");
  expect((await fetch(`${url}/nope`)).status).toBe(404);
});
