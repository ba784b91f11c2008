/**
 * Live config, as a user meets it: `newswatch run` is running when its config
 * file is edited (saved the way editors save, by renaming a temporary file
 * over it). A feed added there is polled and its relevant story alerted
 * within 30 s, by the same process; an invalid edit is reported with its
 * line and key path, and the service goes on with the config it had.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { RELEVANT_STORIES, startLoopbackFeed, type LoopbackFeed } from "../helpers/loopback-feed.js";
import { connect, dropPrefix, redisUrl, testPrefix } from "../helpers/redis.js";
import { serviceConfigYaml, spawnCli, type ServiceChild } from "../helpers/service-process.js";
import { waitFor } from "../helpers/wait-for.js";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver.js";

const secret = `whsec_${randomBytes(24).toString("base64")}`;
const prefix = testPrefix("live");
const dir = mkdtempSync(path.join(os.tmpdir(), "nw-live-"));
const configFile = path.join(dir, "newswatch.yaml");
let first: LoopbackFeed;
let added: LoopbackFeed;
let receiver: WebhookReceiver;

/** The config with these feeds (block list, one `- url:` per feed, each line `extra` after its url). */
function configText(feeds: { url: string; extra?: string }[]): string {
  const base = serviceConfigYaml({ redisUrl: redisUrl(), prefix, feedUrl: "PLACEHOLDER", hookUrl: receiver.url });
  const block = ["feeds:", ...feeds.flatMap((f) => [`  - url: "${f.url}"`, ...(f.extra ? [`    ${f.extra}`] : [])])].join("\n");
  return base.replace(/^feeds: .*$/m, block);
}

/** Saves like an editor: a temporary file renamed over the config. */
function save(text: string): void {
  const temp = path.join(dir, ".newswatch.yaml.tmp");
  writeFileSync(temp, text);
  renameSync(temp, configFile);
}

const titles = () => receiver.requests.filter((r) => r.verified).map((r) => (JSON.parse(r.body) as { story: { title: string } }).story.title);

beforeAll(async () => {
  first = await startLoopbackFeed([]);
  added = await startLoopbackFeed([]);
  receiver = await startWebhookReceiver({ secret });
  writeFileSync(configFile, configText([{ url: first.url }]));
});

afterAll(async () => {
  await Promise.all([first?.close(), added?.close(), receiver?.close()]);
  const redis = connect();
  await dropPrefix(redis, prefix);
  await redis.quit();
});

it("applies a feed added to the config file without a restart, and keeps running on it after an invalid edit", { timeout: 40_000 }, async () => {
  const service: ServiceChild = spawnCli(["run", "--config", configFile], { NW_TEST_WEBHOOK_SECRET: secret, REDIS_URL: undefined, NEWSWATCH_CONFIG: undefined });
  // The exit code is checked after the try, so that a failure inside it is the one reported.
  let exitCode: number | null;
  try {
    await first.polls(1, 20_000);
    const pid = service.child.pid;

    const editedAt = Date.now();
    save(configText([{ url: first.url }, { url: added.url }]));
    await added.polls(1, 15_000);
    added.items = [RELEVANT_STORIES[0]!];
    await waitFor(() => titles().includes(RELEVANT_STORIES[0]!.title), { timeout: 30_000, what: "the added feed's alert" });
    expect(Date.now() - editedAt).toBeLessThan(30_000);
    expect(service.output()).toContain(`config: feed added ${added.url}`);

    // A typo'd key: reported with its line and key path, and nothing changes.
    const invalid = configText([{ url: first.url }, { url: added.url, extra: "intervall: 5m" }]);
    save(invalid);
    const line = invalid.split("\n").findIndex((l) => l.includes("intervall")) + 1;
    const problem = `newswatch.yaml:${line}:5: feeds[1].intervall: unknown key — did you mean \\"interval\\"?`;
    // The summary and the problem are separate log lines (and may arrive in separate chunks): wait for both.
    await waitFor(() => service.output().includes("is invalid; the running config stays") && service.output().includes(problem), {
      timeout: 10_000,
      what: "the invalid edit to be reported with its line and key path",
    });

    first.items = [RELEVANT_STORIES[1]!];
    await waitFor(() => titles().includes(RELEVANT_STORIES[1]!.title), { timeout: 20_000, what: "the first feed's alert after the invalid edit" });
    expect(service.child.pid).toBe(pid);
    expect(service.child.exitCode).toBeNull();
  } catch (err) {
    console.error(service.output());
    throw err;
  } finally {
    exitCode = await service.stop("SIGTERM");
  }
  expect(exitCode).toBe(0);
  const output = service.output();
  expect(output.match(/newswatch: starting/g)).toHaveLength(1);
  expect(titles().sort()).toEqual([RELEVANT_STORIES[0]!.title, RELEVANT_STORIES[1]!.title].sort());
  expect(receiver.duplicates).toBe(0);
  expect(output).not.toContain(secret);
});
