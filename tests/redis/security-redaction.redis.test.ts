/**
 * A feed URL with credentials and feeds that send control characters, end to
 * end: real Redis, real BullMQ queues, feeds served on loopback. The password
 * must not show in feed state, job data, logs, `newswatch feeds`, `check-feed`,
 * `alerts failed` or a Redis error; no control character may reach the terminal.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Queue, Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { feedStateKey } from "../../src/feeds/state/feed-state.js";
import { createPollStage } from "../../src/jobs/poll-feed.js";
import type { StageContext } from "../../src/jobs/stage.js";
import { createLogger } from "../../src/logger.js";
import { keyTag, type Redis } from "../../src/queues/connection.js";
import { closeQueues, createQueues } from "../../src/queues/factory.js";
import { JOB_NAMES, QUEUES } from "../../src/queues/names.js";
import type { ClassifyJob } from "../../src/queues/payloads.js";
import { ensureRedis } from "../../src/service/redis-autostart.js";
import { testAlert } from "../helpers/alert-worker.js";
import { runCli } from "../helpers/cli.js";
import { connect, dropPrefix, redisUrl, testPrefix } from "../helpers/redis.js";
import { freePort } from "../helpers/ports.js";
import { testTopicYaml } from "../helpers/config.js";
import { testHelpers } from "../helpers/job-helpers.js";

const SECRET = "hunter2";
// Any C0 but \n and \t, DEL, C1: what a terminal must never be sent from outside.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const ESC = "\u001b";

const FEEDS: Record<string, { type: string; body: string } | number> = {
  "/wire.xml": {
    type: "application/rss+xml",
    body: `<rss version="2.0"><channel><title>Wire${ESC}]0;owned\u0007\u009b31m</title>
      <item><title>Ruritania and Freedonia${ESC}[2J sign a naval pact</title><link>https://pier.example.test/1</link><guid>w1</guid></item>
    </channel></rss>`,
  },
  "/locked.xml": 401,
  "/root.xml": { type: "application/xml", body: `<evil${ESC}[2J\u009b><x/></evil${ESC}[2J\u009b>` },
  "/bad.json": { type: "application/feed+json", body: `{"items": ${ESC}[2J\u0085 oops}` },
};

let server: Server;
let origin: string;
const url = (p: string) => `http://ann:${SECRET}@${origin}${p}`;
let redis: Redis;
const prefix = testPrefix("security");
let config: string;
const logLines: string[] = [];
let ctx: StageContext;

beforeAll(async () => {
  server = createServer((req, res) => {
    const feed = FEEDS[req.url ?? ""];
    if (feed === undefined) return res.writeHead(404).end();
    if (typeof feed === "number") return res.writeHead(feed).end();
    res.writeHead(200, { "content-type": feed.type }).end(feed.body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  redis = connect();
  config = path.join(mkdtempSync(path.join(tmpdir(), "nw-security-")), "config.yaml");
  writeFileSync(
    config,
    `redis: { prefix: ${prefix} }
feeds:
${Object.keys(FEEDS)
  .map((p) => `  - { url: "${url(p)}", backfill: true }`)
  .join("\n")}
${testTopicYaml("keywords: [naval, pact]")}`,
  );
  const parsed = parseConfig(`redis: { prefix: ${prefix} }\n`, config, {});
  const destination = { write: (s: string) => void logLines.push(s) };
  ctx = { config: parsed, redis, queues: createQueues(redis, prefix), log: createLogger({ level: "info", destination }), clock: { now: () => Date.now() } };
  const stage = await createPollStage(ctx);
  try {
    for (const p of Object.keys(FEEDS)) await stage.run({ feed: { url: url(p), backfill: true } }, testHelpers(ctx.log));
  } finally {
    await stage.close?.();
  }
});

afterAll(async () => {
  await closeQueues(ctx.queues);
  await dropPrefix(redis, prefix);
  redis.disconnect();
  await new Promise((r) => server.close(r));
});

function expectClean(text: string): void {
  expect(text).not.toContain(SECRET);
  expect(text).not.toMatch(CONTROL);
}

describe("the poll stage", () => {
  it("stores each failure's lastError without the password or control characters", async () => {
    const errors: Record<string, string | undefined> = {};
    for (const p of ["/locked.xml", "/root.xml", "/bad.json"]) {
      const state = await redis.hgetall(feedStateKey(prefix, url(p)));
      expect(state.failures).toBe("1");
      errors[p] = state.lastError;
      for (const value of Object.values(state)) expectClean(value);
    }
    expect(errors["/locked.xml"]).toBe(`feeds/fetch: http://***:***@${origin}/locked.xml answered HTTP 401`);
    expect(errors["/root.xml"]).toMatch(/^feeds\/parse: not a feed: root element <evil\[2J> at line 1/);
    expect(errors["/bad.json"]).toMatch(/^feeds\/parse: invalid JSON: Unexpected token/);
  });

  it("stores the feed's title without control characters", async () => {
    // The decoder reads a C1 byte as windows-1252 (U+009B → ›), as browsers do; the ESC and BEL are dropped.
    expect(await redis.hget(feedStateKey(prefix, url("/wire.xml")), "title")).toBe("Wire]0;owned›31m");
  });

  it("hands stories on with a redacted feedUrl, and no job in Redis holds the password", async () => {
    const jobs = await ctx.queues.classify.getJobs(["waiting", "prioritized", "delayed"]);
    expect(jobs).toHaveLength(1);
    const data = jobs[0]?.data as ClassifyJob;
    expect(data.feedUrl).toBe(`http://***:***@${origin}/wire.xml`);
    expect(data.stories.map((s) => s.feedUrl)).toEqual([`http://***:***@${origin}/wire.xml`]);
    expect(await redis.hget(`${keyTag(prefix)}:${QUEUES.classify}:${jobs[0]?.id}`, "data")).not.toContain(SECRET);
  });

  it("logs each failure without the password or control characters", () => {
    const failures = logLines.filter((l) => l.includes("feed failed"));
    expect(failures).toHaveLength(3);
    for (const line of logLines) {
      expect(line).not.toContain(SECRET);
      expect(line).not.toMatch(/[\u007f-\u009f]/);
      expect(line).not.toMatch(/\\u001b/i);
    }
  });
});

const cli = (argv: string[], env: Record<string, string> = { REDIS_URL: redisUrl() }) => runCli([...argv, "--config", config], { env });

describe("newswatch feeds", () => {
  it("shows URLs and errors without the password, and no control characters, in the table and in --json", async () => {
    const table = await cli(["feeds"]);
    expect(table.code).toBe(0);
    expectClean(table.out);
    // The error column leaves out the feed's own (redacted) URL, which the url column shows.
    expect(table.out).toMatch(new RegExp(`http://\\*\\*\\*:\\*\\*\\*@${origin}/locked\\.xml\\s+-\\s+1x \\S+ \\S+ answered HTTP 401`));
    const json = await cli(["feeds", "--json"]);
    expect(json.code).toBe(0);
    expectClean(json.out);
    const rows = json.out.trim().split("\n").map((l) => JSON.parse(l) as { url: string; name: string | null; lastError: string | null });
    expect(rows.map((r) => r.url)).toEqual(Object.keys(FEEDS).map((p) => `http://***:***@${origin}${p}`));
    expect(rows[0]?.name).toBe("Wire]0;owned›31m");
    expect(rows[1]?.lastError).toBe(`feeds/fetch: http://***:***@${origin}/locked.xml answered HTTP 401`);
  });

  it("names the Redis it cannot reach without its password", async () => {
    const port = await freePort();
    const run = await cli(["feeds"], { REDIS_URL: `redis://:${SECRET}@127.0.0.1:${port}` });
    expect(run.code).toBe(1);
    expect(run.err).toContain(`cannot read feed state from Redis at redis://:***@127.0.0.1:${port}`);
    expectClean(run.err);
  });
});

describe("newswatch check-feed", () => {
  it("prints the feed's title and items without control characters, and --json without the password", async () => {
    const table = await cli(["check-feed", url("/wire.xml")]);
    expect(table.code).toBe(0);
    expectClean(table.out + table.err);
    expect(table.out).toMatch(/^Wire\]0;owned›31m \(rss, 1 items\)/);
    expect(table.out).toContain("Ruritania and Freedonia[2J sign a naval pact");
    const json = await cli(["check-feed", url("/wire.xml"), "--json"]);
    expect(json.code).toBe(0);
    expectClean(json.out);
    expect((JSON.parse(json.out) as { feedUrl: string }).feedUrl).toBe(`http://***:***@${origin}/wire.xml`);
  });

  it.each([
    ["/locked.xml", /answered HTTP 401/],
    ["/root.xml", /root element <evil\[2J>/],
    ["/bad.json", /invalid JSON/],
  ])("reports a broken feed (%s) without the password or control characters", async (p, reason) => {
    const run = await cli(["check-feed", url(p)]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(reason);
    expectClean(run.err);
  });
});

describe("newswatch alerts failed", () => {
  it("shows a failure reason that quotes a URL with credentials, and a hostile title, cleaned", async () => {
    const connection = connect();
    const workerConnection = connect();
    const queue = new Queue(QUEUES.alert, { connection, prefix: keyTag(prefix) });
    const worker = new Worker(
      QUEUES.alert,
      async () => {
        throw new Error(`alerts/webhook: POST https://ann:${SECRET}@hooks.example.test/x failed: ${ESC}[2J\u009b`);
      },
      { connection: workerConnection, prefix: keyTag(prefix) },
    );
    try {
      const alert = testAlert(1, { title: `Drill${ESC}]0;owned\u0007 title` });
      const job = await queue.add(JOB_NAMES.alert, { channel: "hook", alert }, { attempts: 1 });
      await expect.poll(() => queue.getJobState(job.id ?? ""), { timeout: 10_000 }).toBe("failed");
      const text = await cli(["alerts", "failed"]);
      expect(text.code).toBe(0);
      expectClean(text.out);
      expect(text.out).toContain("Drill]0;owned title");
      expect(text.out).toContain("POST https://***:***@hooks.example.test/x failed");
      const json = await cli(["alerts", "failed", "--json"]);
      expectClean(json.out);
      expect((JSON.parse(json.out) as { reason: string }).reason).toMatch(/^alerts\/webhook: POST https:\/\/\*\*\*:\*\*\*@hooks/);
    } finally {
      await worker.close();
      await queue.close();
      connection.disconnect();
      workerConnection.disconnect();
    }
  });
});

describe("redis-autostart", () => {
  it("explains that no Redis answers without quoting its password", async () => {
    const port = await freePort();
    const err = await ensureRedis(`redis://:${SECRET}@127.0.0.1:${port}`, { PATH: "/nonexistent" }, tmpdir()).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(`nothing answers at redis://:***@127.0.0.1:${port}`);
    expect((err as Error).message).not.toContain(SECRET);
  });
});

