/**
 * A receiver that was down and answers again: `alerts pending` shows the
 * deliveries waiting out their retry delay (with the error and the time of
 * the next try), and the first delivery that goes through brings the others
 * in within seconds instead of on their old backoff — at the channel's rate
 * limit.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { alertJobId, enqueueAlerts } from "../../src/alerts/enqueue.js";
import { failingKey } from "../../src/alerts/resume.js";
import type { PendingDelivery } from "../../src/alerts/pending.js";
import { loadConfig } from "../../src/config/load.js";
import { startAlertStage, testAlert, type RunningAlertStage } from "../helpers/alert-worker.js";
import { runCli } from "../helpers/cli.js";
import { connect, dropPrefix, redisUrl, testPrefix } from "../helpers/redis.js";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver.js";
import { waitFor } from "../helpers/wait-for.js";

const cli = (argv: string[]) => runCli(argv, { env: { REDIS_URL: redisUrl() } });
const RETRY_DELAY = 30_000;
const PER_SECOND = 4;

describe("a channel that answers again", () => {
  const prefix = testPrefix("alerts-resume");
  let dir: string;
  let receiver: WebhookReceiver;
  let running: RunningAlertStage | undefined;

  afterEach(async () => {
    await running?.close();
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
    const redis = connect();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it("lists the waiting deliveries, then sends them soon after its first success, at its rate limit", { timeout: 30_000 }, async () => {
    let up = false;
    receiver = await startWebhookReceiver({ reply: () => (up ? { status: 200 } : { status: 500, body: "down for maintenance" }) });
    dir = await mkdtemp(path.join(tmpdir(), "nw-alerts-resume-"));
    const file = path.join(dir, "config.yaml");
    await writeFile(
      file,
      [
        `redis: { prefix: ${prefix} }`,
        "alerts:",
        `  retryDelay: ${RETRY_DELAY / 1000}s`,
        "  retryJitter: 0",
        "  webhooks:",
        `    - { name: hook, url: "${receiver.url}", rateLimit: { max: ${PER_SECOND}, per: 1s } }`,
      ].join("\n"),
    );
    running = await startAlertStage(loadConfig(file, { REDIS_URL: redisUrl() }).config);
    const waiting = Array.from({ length: 8 }, (_, i) => testAlert(200 + i));
    for (const a of waiting) await enqueueAlerts(running.ctx, a);
    const queue = running.ctx.queues.alert;
    await expect.poll(() => queue.getDelayedCount(), { timeout: 10_000 }).toBe(waiting.length);
    await waitFor(() => receiver.requests.length === waiting.length);

    const pending = await cli(["alerts", "pending", "--json", "-c", file]);
    expect(pending.code).toBe(0);
    const rows = pending.out.trim().split("\n").map((l) => JSON.parse(l) as PendingDelivery);
    expect(rows.map((r) => r.id).sort()).toEqual(waiting.map((a) => alertJobId(a, "hook")).sort());
    for (const row of rows) {
      expect(row).toMatchObject({ state: "delayed", channel: "hook", attemptsMade: 1 });
      expect(row.subject).toMatch(/^Test story number 2\d\d/);
      expect(row.lastError).toMatch(/HTTP 500 "down for maintenance"/);
      // The next try is on the old backoff: about RETRY_DELAY after the failure.
      expect(Date.parse(row.nextTry!) - Date.now()).toBeGreaterThan(RETRY_DELAY - 10_000);
    }
    const text = await cli(["alerts", "pending", "-c", file]);
    expect(text.out).toMatch(/ {2}hook {2}delayed {2}next try \d{4}-\d\d-\d\dT\S+Z {2}tries 1 {2}Test story number 2/);
    expect(text.out).toContain("  last error: alerts/webhook: hook");
    expect(text.err).toBe("8 pending alert deliveries\n");

    // The receiver is back; a new alert's delivery is the first success.
    up = true;
    const fresh = testAlert(300);
    await enqueueAlerts(running.ctx, fresh);
    await waitFor(() => receiver.accepted.size === waiting.length + 1, { timeout: 10_000, what: () => `${receiver.accepted.size} accepted` });
    const times = [...receiver.accepted.values()].sort((a, b) => a - b);
    const first = receiver.accepted.get(`msg_${alertJobId(fresh, "hook")}`)!;
    expect(times[0]).toBe(first);
    // All of them within seconds of the first success, not the 30 s backoff…
    expect(times.at(-1)! - first).toBeLessThan(5_000);
    // …yet no faster than the channel's limit allows: 9 sends at 4 a window need three windows.
    expect(times.at(-1)! - first).toBeGreaterThanOrEqual(1_500);
    expect(receiver.duplicates).toBe(0);
    expect(await running.ctx.redis.exists(failingKey(prefix, "hook"))).toBe(0);
    expect((await cli(["alerts", "pending", "-c", file])).err).toBe("0 pending alert deliveries\n");
  });
});
