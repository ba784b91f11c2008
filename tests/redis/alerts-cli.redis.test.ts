import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { alertJobId, enqueueAlerts } from "../../src/alerts/enqueue.js";
import { loadConfig } from "../../src/config/load.js";
import { startAlertStage, testAlert, type RunningAlertStage } from "../helpers/alert-worker.js";
import { runCli } from "../helpers/cli.js";
import { connect, dropPrefix, redisUrl, testPrefix } from "../helpers/redis.js";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver.js";
import { waitFor } from "../helpers/wait-for.js";

const cli = (argv: string[]) => runCli(argv, { env: { REDIS_URL: redisUrl() } });

describe("newswatch alerts failed / alerts retry", () => {
  const prefix = testPrefix("alerts-cli");
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

  it("lists a failed delivery with the receiver's answer and every try, numbered on across retries, then retries it by --all", async () => {
    let status = 410;
    // A body with a terminal escape in it: the listing must show its words, not the escape.
    receiver = await startWebhookReceiver({ reply: () => ({ status, body: status === 200 ? "" : "hook disabled \u001b[31mby its owner" }) });
    dir = await mkdtemp(path.join(tmpdir(), "nw-alerts-cli-"));
    const file = path.join(dir, "config.yaml");
    await writeFile(file, `redis: { prefix: ${prefix} }\nalerts:\n  webhooks:\n    - { name: hook, url: "${receiver.url}" }\n`);
    running = await startAlertStage(loadConfig(file, { REDIS_URL: redisUrl() }).config);
    const alert = testAlert(1, { title: "A story that will fail" });
    await enqueueAlerts(running.ctx, alert);
    const id = alertJobId(alert, "hook");
    const queue = running.ctx.queues.alert;
    await waitFor(() => receiver.requests.length === 1);
    await expect.poll(() => queue.getJobState(id)).toBe("failed");

    const failed = await cli(["alerts", "failed", "-c", file]);
    expect(failed.code).toBe(0);
    expect(failed.out).toContain(`${id}  hook  A story that will fail`);
    expect(failed.out).toMatch(/#1 \S+ failed \(\d+ ms\) .*HTTP 410 "hook disabled \[31mby its owner", not retried/);
    expect(failed.out).not.toContain("\u001b");
    const json = await cli(["alerts", "failed", "--json", "-c", file]);
    expect(JSON.parse(json.out.trim())).toMatchObject({ id, channel: "hook", attemptsMade: 1 });

    // Retried while the receiver still refuses: the new try is #2, not a second #1.
    expect((await cli(["alerts", "retry", "-c", file])).code).toBe(2);
    expect(await cli(["alerts", "retry", "--all", "-c", file])).toMatchObject({ code: 0, out: `retried ${id}\n` });
    await waitFor(() => receiver.requests.length === 2);
    await expect.poll(() => queue.getJobState(id)).toBe("failed");
    const again = (await cli(["alerts", "failed", "-c", file])).out;
    expect(again).toContain("after 1 attempt(s), 2 tries in all");
    expect(again.match(/^ {2}#\d+/gm)).toEqual(["  #1", "  #2"]);

    status = 200;
    expect(await cli(["alerts", "retry", id, "-c", file])).toMatchObject({ code: 0, out: `retried ${id}\n` });
    await expect.poll(() => queue.getJobState(id)).toBe("completed");
    expect(receiver.accepted.size).toBe(1);
    expect((await cli(["alerts", "failed", "-c", file])).out).toBe("");
    expect((await cli(["alerts", "retry", id, "-c", file])).code).toBe(1);
  });
});
