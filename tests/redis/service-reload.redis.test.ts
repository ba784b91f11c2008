/**
 * RunningService.reload on real Redis: feeds change only the schedulers, other
 * changes swap the stages with no job lost or run twice, reloads run one at a
 * time, a config whose stages cannot be built leaves the running ones, and
 * redis.* waits for a restart.
 */
import { afterEach, expect, it } from "vitest";
import { enqueueAlerts } from "../../src/alerts/enqueue.js";
import { ConfigSchema, type Config } from "../../src/config/schema.js";
import { createLogger } from "../../src/logger.js";
import { readScheduledFeeds } from "../../src/service/schedulers.js";
import { startService, type RunningService } from "../../src/service/service.js";
import { testAlert } from "../helpers/alert-worker.js";
import { connect, dropPrefix, redisUrl, testPrefix } from "../helpers/redis.js";
import { waitFor } from "../helpers/wait-for.js";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver.js";

const prefix = testPrefix("reload");
let service: RunningService | undefined;
let receiver: WebhookReceiver | undefined;
const SECRET = `whsec_${Buffer.from("reload-test-secret-0123456789").toString("base64")}`;
const messages: string[] = [];
const log = createLogger({ level: "info", destination: { write: (l: string) => void messages.push((JSON.parse(l) as { msg: string }).msg) } });

afterEach(async () => {
  await service?.stop();
  service = undefined;
  await receiver?.close();
  receiver = undefined;
  const redis = connect();
  await dropPrefix(redis, prefix);
  await redis.quit();
});

const config = (raw: Record<string, unknown>): Config => ConfigSchema.parse({ redis: { url: redisUrl(), prefix }, ...raw });
const A = "http://127.0.0.1:9/a.xml";
const B = "http://127.0.0.1:9/b.xml";

it("applies feed changes to the schedulers alone, and logs them as a short diff", async () => {
  service = await startService({ config: config({ defaults: { interval: "1h" }, feeds: [{ url: A }] }), configFile: "/srv/reload.yaml", stages: ["poll"], log });
  const workers = service.workers;
  const added = await service.reload({ config: config({ defaults: { interval: "1h" }, feeds: [{ url: A }, { url: B }] }) });
  expect(added).toEqual({ applied: true, changes: [`feed added ${B}`], restart: [] });
  expect(messages).toContain(`config: feed added ${B}`);
  expect(service.workers).toBe(workers);
  expect((await readScheduledFeeds(service.ctx.queues.poll)).map((s) => s.feed?.url).sort()).toEqual([A, B]);

  const removed = await service.reload({ config: config({ defaults: { interval: "1h" }, feeds: [{ url: B }] }) });
  expect(removed.changes).toEqual([`feed removed ${A}`]);
  expect((await readScheduledFeeds(service.ctx.queues.poll)).map((s) => s.feed?.url)).toEqual([B]);
  expect(service.ctx.config.feeds.map((f) => f.url)).toEqual([B]);
});

it("swaps the stages under load with no job lost or run twice, one reload after the other", async () => {
  // Each delivery takes a while, so that some are in flight whenever the old workers close.
  receiver = await startWebhookReceiver({ secret: SECRET, onRequest: () => new Promise((r) => setTimeout(r, 20)) });
  const alerts = (extra: Record<string, unknown>) => config({ alerts: { webhooks: [{ name: "hook", url: receiver!.url, secret: SECRET }], ...extra } });
  service = await startService({ config: alerts({}), configFile: "/srv/reload.yaml", stages: ["alert"], log });
  const first = service.workers[0];
  const count = 200;
  await Promise.all(Array.from({ length: count }, (_, i) => enqueueAlerts(service!.ctx, testAlert(i))));
  await receiver.waitFor(() => receiver!.requests.length >= 10);
  // Queued at once: the second must wait for the first.
  const done: number[] = [];
  const one = service.reload({ config: alerts({ retryDelay: "7s" }) }).then((r) => (done.push(1), r));
  const two = service.reload({ config: alerts({ retryDelay: "7s", concurrency: 3 }) }).then((r) => (done.push(2), r));
  expect((await one).changes).toEqual(["alerts.retryDelay changed (5000 → 7000)"]);
  expect((await two).changes).toEqual(["alerts.concurrency changed (10 → 3)"]);
  expect(done).toEqual([1, 2]);
  expect(receiver.requests.length).toBeLessThan(count);
  expect(service.workers[0]).not.toBe(first);
  expect(first?.worker.isRunning()).toBe(false);
  expect(service.ctx.config.alerts.concurrency).toBe(3);

  await receiver.waitFor(() => receiver!.accepted.size >= count, 30_000);
  expect(receiver.requests).toHaveLength(count);
  expect(receiver.duplicates).toBe(0);
  expect(receiver.requests.every((r) => r.verified)).toBe(true);
  await waitFor(async () => (await service!.ctx.queues.alert.getCompletedCount()) === count, { timeout: 10_000, what: "every alert job completed" });
  expect(await service.ctx.queues.alert.getFailedCount()).toBe(0);
});

it("keeps the running stages when the new ones cannot be built, and keeps redis.* for a restart", async () => {
  service = await startService({ config: config({}), configFile: "/srv/reload.yaml", stages: ["dedupe"], log });
  const workers = service.workers;
  const broken = await service.reload({ config: config({ reference: ["/nonexistent/reference.yaml"] }) });
  expect(broken.applied).toBe(false);
  expect(messages.some((m) => m.startsWith("config: not applied, the running config stays: reference: cannot read /nonexistent/reference.yaml"))).toBe(true);
  expect(service.workers).toBe(workers);
  expect(workers[0]?.worker.isRunning()).toBe(true);
  expect(service.ctx.config.reference).toEqual([]);

  const moved = ConfigSchema.parse({ redis: { url: redisUrl(), prefix: `${prefix}-moved` }, dedupe: { followUpAt: 3 } });
  const result = await service.reload({ config: moved });
  expect(result).toEqual({ applied: true, changes: ["dedupe.followUpAt changed (5 → 3)"], restart: [`redis.prefix changed (${prefix} → ${prefix}-moved)`] });
  expect(messages).toContain(`config: redis.prefix changed (${prefix} → ${prefix}-moved): needs a restart; the running value stays`);
  expect(service.ctx.config.redis.prefix).toBe(prefix);
  expect(service.ctx.config.dedupe.followUpAt).toBe(3);
});
