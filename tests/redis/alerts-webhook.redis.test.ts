import { Job } from "bullmq";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readAttempts } from "../../src/queues/attempts.js";
import { alertJobId, enqueueAlerts } from "../../src/alerts/enqueue.js";
import { listFailedAlerts } from "../../src/alerts/failed.js";
import { retryFailedJobs } from "../../src/queues/failed-jobs.js";
import { Alert } from "../../src/model/index.js";
import { alertConfig, startAlertStage, testAlert, type RunningAlertStage } from "../helpers/alert-worker.js";
import { connect, dropPrefix, redisUrl, testPrefix } from "../helpers/redis.js";
import { startWebhookReceiver, type Reply, type WebhookReceiver } from "../helpers/webhook-receiver.js";

const SECRET = "whsec_" + Buffer.from("a test signing key of our own").toString("base64");
// Short delays so that a dozen tries fit in a test; the horizon gives 13 tries.
const FAST_RETRY = { retryDelay: 50, retryMaxDelay: 200, retryHorizon: 2_000 };

describe("webhook alerts through the alert queue", () => {
  let prefix: string;
  let receiver: WebhookReceiver;
  let running: RunningAlertStage | undefined;

  beforeEach(() => {
    prefix = testPrefix("alerts-wh");
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
    await receiver.close();
    const redis = connect();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  async function start(reply: (call: number) => Reply, webhook: Record<string, unknown> = {}, secret = SECRET) {
    receiver = await startWebhookReceiver({ secret, rawSecret: !secret.startsWith("whsec_"), reply });
    const config = alertConfig(redisUrl(), prefix, {
      ...FAST_RETRY,
      webhooks: [{ name: "hook", url: receiver.url, secret, timeout: 300, ...webhook }],
    });
    running = await startAlertStage(config);
    return running;
  }

  async function finished(id: string): Promise<Job> {
    const queue = running!.ctx.queues.alert;
    await expect.poll(() => queue.getJobState(id), { timeout: 20_000, interval: 25 }).toMatch(/^(completed|failed)$/);
    return (await Job.fromId(queue, id))!;
  }

  it("retries 500s and a timeout, then delivers once; every try carries the same id and a valid signature", async () => {
    const replies: Reply[] = [{ status: 500 }, { status: 500 }, { status: 503 }, "hang"];
    const { ctx } = await start((call) => replies[call - 1] ?? { status: 200 });
    const alert = testAlert(1);
    await enqueueAlerts(ctx, alert);
    const job = await finished(alertJobId(alert, "hook"));

    expect(await job.getState()).toBe("completed");
    expect(receiver.requests).toHaveLength(5);
    expect(receiver.accepted.size).toBe(1);
    expect(receiver.duplicates).toBe(0);
    expect(new Set(receiver.requests.map((r) => r.id))).toEqual(new Set([`msg_${alertJobId(alert, "hook")}`]));
    expect(receiver.requests.every((r) => r.verified)).toBe(true);
    // The body is the Alert object itself, byte-identical on every try.
    expect(new Set(receiver.requests.map((r) => r.body)).size).toBe(1);
    expect(Alert.parse(JSON.parse(receiver.requests[0]!.body))).toEqual(alert);

    const attempts = await readAttempts(ctx.queues.alert, job.id!);
    expect(attempts.map((a) => a.ok)).toEqual([false, false, false, false, true]);
    expect(attempts[0]!.detail).toMatch(/HTTP 500/);
    expect(attempts[2]!.detail).toMatch(/HTTP 503/);
    expect(attempts[3]!.detail).toMatch(/timeout|aborted/i);
    expect(attempts[4]!.detail).toBe("HTTP 200");
  });

  it("never sends a recorded delivery again, even when its job is added anew", async () => {
    const { ctx } = await start(() => ({ status: 200 }));
    const alert = testAlert(2);
    await enqueueAlerts(ctx, alert);
    const id = alertJobId(alert, "hook");
    await finished(id);
    await ctx.queues.alert.remove(id);
    await enqueueAlerts(ctx, alert);
    const again = await finished(id);
    expect(again.returnvalue).toMatchObject({ status: "already-delivered" });
    expect(receiver.requests).toHaveLength(1);
  });

  it("fails a 4xx at once, keeps it with its attempt, and `retry` sends it again", async () => {
    let status = 404;
    const { ctx } = await start(() => ({ status }));
    const alert = testAlert(3);
    await enqueueAlerts(ctx, alert);
    const id = alertJobId(alert, "hook");
    const job = await finished(id);
    expect(await job.getState()).toBe("failed");
    expect(job.attemptsMade).toBe(1);

    const failed = await listFailedAlerts(ctx.queues.alert);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ id, channel: "hook", subject: alert.story.title, attemptsMade: 1 });
    expect(failed[0]!.attempts).toHaveLength(1);
    expect(failed[0]!.attempts[0]!.detail).toMatch(/HTTP 404, not retried/);
    // Webhook URLs often hold their secret in the path: errors name the origin only.
    expect(job.failedReason).not.toContain("/hook");

    status = 200;
    expect(await retryFailedJobs(ctx.queues.alert, ["nope", id])).toEqual({ retried: [id], notFailed: ["nope"] });
    expect(await (await finished(id)).getState()).toBe("completed");
    expect(receiver.accepted.size).toBe(1);
    expect(await listFailedAlerts(ctx.queues.alert)).toEqual([]);
  });

  it("waits as long as Retry-After says on a 429", async () => {
    const { ctx } = await start((call) => (call === 1 ? { status: 429, headers: { "retry-after": "1" } } : { status: 200 }));
    const alert = testAlert(4);
    await enqueueAlerts(ctx, alert);
    await finished(alertJobId(alert, "hook"));
    expect(receiver.requests).toHaveLength(2);
    const [first, second] = receiver.requests.map((r) => Number(r.timestamp));
    // Timestamps are whole seconds: a 50 ms backoff would land in the same or next second, Retry-After in the next.
    expect(second! - first!).toBeGreaterThanOrEqual(1);
    const started = await readAttempts(ctx.queues.alert, alertJobId(alert, "hook"));
    expect(Date.parse(started[1]!.at) - Date.parse(started[0]!.at)).toBeGreaterThanOrEqual(950);
  });

  it("sends extra headers, signs with a raw secret, and holds a channel to its rate limit", async () => {
    const { ctx } = await start(() => ({ status: 200 }), {
      headers: { authorization: "Bearer test-token", "webhook-id": "must-not-win" },
      rateLimit: { max: 2, per: 1_000 },
    }, "a raw secret, not base64");
    const alerts = [5, 6, 7, 8, 9].map((n) => testAlert(n));
    for (const a of alerts) await enqueueAlerts(ctx, a);
    await receiver.waitFor(() => receiver.accepted.size === 5);
    expect(receiver.requests.every((r) => r.verified && r.headers.authorization === "Bearer test-token")).toBe(true);
    expect(receiver.requests.every((r) => r.id.startsWith("msg_"))).toBe(true);
    const times = [...receiver.accepted.values()].sort((a, b) => a - b);
    // Two per window: the third and fifth wait for a new window each.
    expect(times[2]! - times[0]!).toBeGreaterThanOrEqual(800);
    expect(times[4]! - times[2]!).toBeGreaterThanOrEqual(800);
    for (const a of alerts) expect((await readAttempts(ctx.queues.alert, alertJobId(a, "hook"))).map((r) => r.ok)).toEqual([true]);
  });

  it("enqueues only for channels whose filters match", async () => {
    const { ctx } = await start(() => ({ status: 200 }), { minScore: 0.8, topics: ["wanted"] });
    expect(await enqueueAlerts(ctx, testAlert(10, { score: 0.9, topics: ["other"] }))).toEqual([]);
    expect(await enqueueAlerts(ctx, testAlert(11, { score: 0.7, topics: ["wanted"] }))).toEqual([]);
    expect(await enqueueAlerts(ctx, testAlert(12, { score: 0.85, topics: ["wanted", "other"] }))).toEqual(["hook"]);
  });
});
