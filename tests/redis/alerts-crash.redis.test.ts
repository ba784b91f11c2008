import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { alertJobId, enqueueAlerts } from "../../src/alerts/enqueue.js";
import { readAttempts } from "../../src/queues/attempts.js";
import { PROJECT_ROOT } from "../../src/paths.js";
import { createRedis } from "../../src/queues/connection.js";
import { closeQueues, createQueues } from "../../src/queues/factory.js";
import { alertConfig, testAlert } from "../helpers/alert-worker.js";
import { connect, dropPrefix, redisUrl, testPrefix } from "../helpers/redis.js";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver.js";
import { waitFor } from "../helpers/wait-for.js";

const SECRET = "whsec_" + Buffer.from("crash test key").toString("base64");
const SCRIPT = path.join(PROJECT_ROOT, "tests/helpers/alert-worker-process.ts");

function spawnWorker(env: Record<string, string>): Promise<ChildProcess> {
  // node --import tsx (not npx) so that SIGKILL lands on the worker itself, not on a wrapper.
  const child = spawn(process.execPath, ["--import", "tsx", SCRIPT], { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && resolve(child));
    child.once("exit", (code) => reject(new Error(`alert worker exited early (${code})`)));
  });
}

describe("alert worker killed mid-delivery", () => {
  const prefix = testPrefix("alerts-crash");
  const children: ChildProcess[] = [];
  let receiver: WebhookReceiver | undefined;

  afterEach(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    await receiver?.close();
    const redis = connect();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it("after SIGKILL and a restart, each alert is accepted once and none is lost", async () => {
    const COUNT = 20;
    const KILL_AT = 6;
    let killed: Promise<void> | null = null;
    receiver = await startWebhookReceiver({
      secret: SECRET,
      // The receiver takes the KILL_AT-th delivery, but the worker dies before it hears back:
      // the crash between sending and recording that the delivery key must absorb.
      onRequest: async (req) => {
        if (req.call !== KILL_AT) return;
        const first = children[0]!;
        killed = new Promise((resolve) => first.once("exit", () => resolve()));
        first.kill("SIGKILL");
        await killed;
      },
    });
    const env = { NW_REDIS_URL: redisUrl(), NW_PREFIX: prefix, NW_WEBHOOK_URL: receiver.url, NW_SECRET: SECRET };
    const redis = createRedis(redisUrl());
    const queues = createQueues(redis, prefix);
    const config = alertConfig(redisUrl(), prefix, { webhooks: [{ name: "hook", url: receiver.url, secret: SECRET }] });
    const alerts = Array.from({ length: COUNT }, (_, i) => testAlert(100 + i));
    try {
      children.push(await spawnWorker(env));
      for (const a of alerts) await enqueueAlerts({ config, queues }, a);
      await waitFor(() => killed !== null, { timeout: 20_000, what: () => `${receiver!.requests.length} requests` });
      await killed;
      children.push(await spawnWorker(env));

      await expect.poll(() => queues.alert.getCompletedCount(), { timeout: 30_000, interval: 50 }).toBe(COUNT);
    } finally {
      await closeQueues(queues);
      redis.disconnect();
    }

    const expected = new Set(alerts.map((a) => `msg_${alertJobId(a, "hook")}`));
    expect(new Set(receiver.accepted.keys())).toEqual(expected);
    // The delivery cut off by the kill was sent again with the same webhook-id, and dropped as a repeat.
    expect(receiver.duplicates).toBeGreaterThanOrEqual(1);
    // Only deliveries in flight at the kill (concurrency 4) may repeat; recorded ones never do.
    expect(receiver.duplicates).toBeLessThanOrEqual(4);
    expect(receiver.requests.every((r) => r.verified)).toBe(true);
  });

  it("a delivery cut off by two kills in a row is delivered by the third worker, not failed", { timeout: 40_000 }, async () => {
    // The directed case of issue 15: a receiver that takes 10 s, and the worker killed twice during its POST.
    const HOLD = 10_000;
    let kills = 0;
    receiver = await startWebhookReceiver({
      secret: SECRET,
      reply: (call) => (call <= 2 ? "hang" : { status: 200 }),
      onRequest: async (req) => {
        if (req.call <= 2) {
          kills++;
          children.at(-1)!.kill("SIGKILL");
          return;
        }
        await new Promise((r) => setTimeout(r, HOLD));
      },
    });
    const env = { NW_REDIS_URL: redisUrl(), NW_PREFIX: prefix, NW_WEBHOOK_URL: receiver.url, NW_SECRET: SECRET, NW_TIMEOUT: String(HOLD * 2) };
    const redis = createRedis(redisUrl());
    const queues = createQueues(redis, prefix);
    const config = alertConfig(redisUrl(), prefix, { webhooks: [{ name: "hook", url: receiver.url, secret: SECRET }] });
    const alert = testAlert(7);
    const id = alertJobId(alert, "hook");
    try {
      children.push(await spawnWorker(env));
      await enqueueAlerts({ config, queues }, alert);
      for (const kill of [1, 2]) {
        await waitFor(() => kills === kill && children.at(-1)!.signalCode !== null, { timeout: 20_000, what: () => `${receiver!.requests.length} requests` });
        children.push(await spawnWorker(env));
      }
      await waitFor(() => receiver!.accepted.size === 1, { timeout: 25_000, what: () => `${receiver!.requests.length} requests` });
      await expect.poll(() => queues.alert.getJobState(id), { timeout: 5_000 }).toBe("completed");
      // Each stall was counted as a try; the numbering runs on to the delivery.
      const tries = await readAttempts(queues.alert, id);
      expect(tries.map((t) => [t.attempt, t.ok])).toEqual([
        [1, false],
        [2, false],
        [3, true],
      ]);
      expect(tries[0]!.detail).toMatch(/worker stopped/);
    } finally {
      await closeQueues(queues);
      redis.disconnect();
    }
    expect(receiver.requests).toHaveLength(3);
    expect(new Set(receiver.requests.map((r) => r.id))).toEqual(new Set([`msg_${id}`]));
    expect(receiver.duplicates).toBe(0);
  });
});
