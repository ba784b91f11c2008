/** `newswatch feeds` and `check-feed` as a user runs them: real Redis, a feed on loopback. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { createFeedStateStore, feedStateKey } from "../../src/feeds/state/feed-state.js";
import type { Redis } from "../../src/queues/connection.js";
import { connect, dropPrefix, redisUrl, testPrefix } from "../helpers/redis.js";
import { testTopicYaml } from "../helpers/config.js";

const cliEnv = { env: { REDIS_URL: redisUrl() } };
let server: Server;
let base: string;
let redis: Redis;
const prefix = testPrefix("status");
let config: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/wire.xml") {
      res.writeHead(200, { "content-type": "application/rss+xml" }).end(`<rss version="2.0"><channel><title>Lantern Wire</title>
        <item><title>Ruritania and Freedonia sign naval drill pact</title><link>/1</link><pubDate>Fri, 03 May 2024 08:00:00 GMT</pubDate></item>
        <item><title>Orchard opens for the season</title><link>/2</link></item></channel></rss>`);
    } else res.writeHead(500).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  redis = connect();
  config = path.join(mkdtempSync(path.join(tmpdir(), "nw-status-")), "config.yaml");
  writeFileSync(
    config,
    `redis: { prefix: ${prefix} }
defaults: { interval: 10m }
feeds:
  - { url: ${base}/wire.xml, name: Lantern }
  - { url: ${base}/broken.xml }
${testTopicYaml("frame: [{ id: military, weight: 3, terms: [naval, drill, pact] }]")}`,
  );
});
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
  await new Promise((r) => server.close(r));
});


describe("newswatch feeds", () => {
  it("prints every configured feed with name, last success, last error without the feed's URL, items seen and next poll", async () => {
    const store = createFeedStateStore(redis, prefix, 86_400_000);
    const t = Date.UTC(2024, 4, 3, 9, 0);
    await store.update(`${base}/wire.xml`, { lastSuccess: t, lastPoll: t, initialized: true }, 12);
    const error = `feeds/fetch: ${base}/broken.xml: getaddrinfo ENOTFOUND broken.example.test`;
    await store.update(`${base}/broken.xml`, { failures: 3, lastError: error, lastErrorAt: t, lastPoll: t, backoffUntil: t + 3_600_000 });
    const run = await runCli(["feeds", "--config", config], cliEnv);
    expect(run.code).toBe(0);
    const lines = run.out.trim().split("\n");
    expect(lines[0]).toMatch(/^name\s+url\s+last success\s+last error\s+items seen\s+next poll$/);
    expect(lines[2]).toMatch(/^Lantern\s+http:\S+\/wire\.xml\s+2024-05-03 09:00Z\s+-\s+12\s+2024-05-03 09:10Z$/);
    expect(lines[3]).toMatch(/^-\s+http:\S+\/broken\.xml\s+-\s+3x 2024-05-03 09:00Z getaddrinfo ENOTFOUND broken\.example\.test\s+0\s+2024-05-03 10:00Z$/);

    const json = await runCli(["feeds", "--json", "--config", config], cliEnv);
    expect(json.code).toBe(0);
    const rows = json.out.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows[0]).toMatchObject({ name: "Lantern", lastSuccess: "2024-05-03T09:00:00.000Z", lastPoll: "2024-05-03T09:00:00.000Z", nextPoll: "2024-05-03T09:10:00.000Z", lastErrorAt: null });
    expect(rows[1]).toMatchObject({ name: null, lastError: error, lastErrorAt: "2024-05-03T09:00:00.000Z", backoffUntil: "2024-05-03T10:00:00.000Z", failures: 3 });
  });
});

describe("feed state store", () => {
  it("fails, naming the feed, when a command inside the transaction fails", async () => {
    const store = createFeedStateStore(redis, prefix, 86_400_000);
    const feed = `${base}/clobbered.xml`;
    await redis.set(feedStateKey(prefix, feed), "not a hash");
    const err = await store.update(feed, { failures: 1 }, 2).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(`feeds/feed-state: updating the state of ${feed} in `);
    expect((err as Error).message).toMatch(/WRONGTYPE/);
  });
});

describe("newswatch check-feed", () => {
  it("prints a table of the items with their classification", async () => {
    const run = await runCli(["check-feed", `${base}/wire.xml`, "--config", config], cliEnv);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^Lantern Wire \(rss, 2 items\)/);
    expect(run.out).toMatch(/2024-05-03 08:00Z\s+yes\s+\d\.\d\d\s+Ruritania and Freedonia sign naval drill pact/);
    expect(run.out).toMatch(/\nundated\s+\d\.\d\d\s+Orchard opens for the season/);
  });

  it("writes JSON lines with --json, and fails with the reason for a broken feed", async () => {
    const run = await runCli(["check-feed", `${base}/wire.xml`, "--json", "--config", config], cliEnv);
    expect(run.code).toBe(0);
    const rows = run.out.trim().split("\n").map((l) => JSON.parse(l) as { title: string; link: string; source: string; published: string | null; classification: { relevant: boolean } });
    expect(rows.map((r) => [r.title, r.link, r.source, r.published, r.classification.relevant])).toEqual([
      ["Ruritania and Freedonia sign naval drill pact", `${base}/1`, "Lantern", "2024-05-03T08:00:00.000Z", true],
      ["Orchard opens for the season", `${base}/2`, "Lantern", null, false],
    ]);
    const bad = await runCli(["check-feed", `${base}/broken.xml`, "--config", config], cliEnv);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/HTTP 500/);
  });
});
