/** The archive against real Redis: append and read back, TTLs, the byte cap, retried polls, and the stages' decision records. */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bytesKey, DAY, dayOf, decidedKey, itemsKey } from "../../src/archive/keys.js";
import { readArchive, readDecisions, readDedupedRecords } from "../../src/archive/reader.js";
import { createArchiveWriter, type ArchiveWriter } from "../../src/archive/writer.js";
import { loadConfig, parseConfig } from "../../src/config/load.js";
import type { ArchiveSection } from "../../src/config/sections/archive.js";
import { pollFeed } from "../../src/feeds/poll.js";
import { createClassifyStage } from "../../src/jobs/classify-stories.js";
import { createDedupeStage } from "../../src/jobs/dedupe-story.js";
import { pollDeps } from "../../src/jobs/poll-feed.js";
import type { StageContext } from "../../src/jobs/stage.js";
import { createLogger } from "../../src/logger.js";
import { DEFAULT_CONFIG_PATH } from "../../src/paths.js";
import type { Redis } from "../../src/queues/connection.js";
import { closeQueues, createQueues, type Queues } from "../../src/queues/factory.js";
import type { Story } from "../../src/model/index.js";
import { connect, dropPrefix, testPrefix } from "../helpers/redis.js";
import { testHelpers } from "../helpers/job-helpers.js";

const log = createLogger({ level: "silent", pretty: false });
const HOUR = 3_600_000;

function story(n: number, title = `Story number ${n}`, description = ""): Story {
  return {
    id: n.toString(16).padStart(32, "0"),
    feedUrl: "http://127.0.0.1/feed",
    source: "Test Wire",
    title,
    description,
    link: `https://news.example/${n}`,
    published: new Date().toISOString(),
    author: null,
    categories: [],
    enclosures: [],
    truncated: [],
  };
}

let redis: Redis;
let prefix: string;
let now: number;

function writer(archive: Partial<ArchiveSection> = {}): ArchiveWriter {
  const section = { enabled: true, span: 7 * DAY, maxBytes: 1024 ** 2, ...archive };
  return createArchiveWriter({ config: { redis: { prefix }, archive: section }, redis, clock: { now: () => now }, log });
}

async function read(from = now - 7 * DAY, to = now) {
  const out = [];
  for await (const item of readArchive(redis, prefix, { from, to })) out.push(item);
  return out;
}

/** The z bytes every items stream of the last `days` days holds, and its entry count. */
async function stored(days = 8): Promise<{ bytes: number; entries: number }> {
  let bytes = 0;
  let entries = 0;
  for (let d = 0; d < days; d++) {
    const page = (await redis.xrangeBuffer(itemsKey(prefix, dayOf(now - d * DAY)), "-", "+")) as unknown as [Buffer, Buffer[]][];
    for (const [, fields] of page) {
      entries++;
      bytes += fields[fields.findIndex((f) => f.toString() === "z") + 1]?.length ?? 0;
    }
  }
  return { bytes, entries };
}

beforeEach(() => {
  redis = connect();
  prefix = testPrefix("archive");
  now = Date.now();
});
afterEach(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

describe("archive", () => {
  it("reads back what was appended, oldest first, each story once however often it was archived", async () => {
    const archive = writer();
    await archive.append("http://a.example/feed", [story(1), story(2)]);
    now += 1_000;
    await archive.append("http://b.example/feed", [story(3)]);
    now += 1_000;
    await archive.append("http://a.example/feed", [story(1), story(2)]);
    const items = await read();
    expect(items.map((i) => [i.story.title, i.feed])).toEqual([
      ["Story number 1", "http://a.example/feed"],
      ["Story number 2", "http://a.example/feed"],
      ["Story number 3", "http://b.example/feed"],
    ]);
    expect(items[2]?.seen).toBe(now - 1_000);
    expect((await read(now - 500)).map((i) => [i.story.title, i.seen])).toEqual([
      ["Story number 1", now],
      ["Story number 2", now],
    ]);
  });

  it("gives every key a TTL that ends when its whole day has left the span", async () => {
    const archive = writer({ span: HOUR });
    await archive.append("http://a.example/feed", [story(1)]);
    await archive.recordClassified([story(1)], [{ relevant: false, score: 0.01, topics: [], entities: [], reasons: [], evidence: null, relation: null }]);
    const untilDayEnds = (Math.floor(now / DAY) + 1) * DAY - now;
    for (const key of [itemsKey(prefix, dayOf(now)), decidedKey(prefix, dayOf(now))]) {
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(untilDayEnds + HOUR - 60_000);
      expect(ttl).toBeLessThanOrEqual(untilDayEnds + HOUR);
    }
    expect(await redis.pttl(bytesKey(prefix))).toBeGreaterThan(0);
  });

  it("keeps items within the span: older days are neither read nor counted against the cap", async () => {
    const archive = writer({ span: 2 * DAY, maxBytes: 100_000 });
    const then = now;
    now -= 3 * DAY;
    await archive.append("http://a.example/feed", [story(1)]);
    now = then;
    await archive.append("http://a.example/feed", [story(2)]);
    expect((await read(now - 2 * DAY)).map((i) => i.story.title)).toEqual(["Story number 2"]);
    expect(await redis.hkeys(bytesKey(prefix))).toEqual([itemsKey(prefix, dayOf(now))]);
  });

  it("stays under maxBytes by dropping the oldest entries first, and counts what it holds exactly", async () => {
    const cap = 6_000;
    const archive = writer({ maxBytes: cap });
    // Random text does not compress: each entry is about 700 bytes.
    for (let n = 0; n < 40; n++) {
      now += 10;
      await archive.append("http://a.example/feed", [story(n, `Story ${n}`, randomBytes(500).toString("base64"))]);
    }
    const { bytes, entries } = await stored();
    expect(bytes).toBeLessThanOrEqual(cap);
    expect(entries).toBeGreaterThan(5);
    expect(Number(await redis.hget(bytesKey(prefix), itemsKey(prefix, dayOf(now))))).toBe(bytes);
    const titles = (await read()).map((i) => i.story.title);
    expect(titles).toHaveLength(entries);
    expect(titles.at(-1)).toBe("Story 39");
    expect(titles[0]).toBe(`Story ${40 - entries}`);
  });
});

describe("archive in the poll stage", () => {
  let server: Server;
  let feedUrl: string;
  let ctx: StageContext;
  const rss = `<rss version="2.0"><channel><title>Pier Daily</title>${["x", "y"].map((id) => `<item><guid>${id}</guid><title>Story ${id}</title></item>`).join("")}</channel></rss>`;

  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(200, { "content-type": "application/rss+xml" }).end(rss));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed`;
  });
  afterAll(() => new Promise((r) => server.close(r)));
  beforeEach(() => {
    const config = parseConfig(`redis: { prefix: ${prefix} }\n`, "archive-test.yaml", {});
    ctx = { config, redis, queues: createQueues(redis, prefix), log, clock: { now: () => now } };
  });
  afterEach(() => closeQueues(ctx.queues));

  it("archives what a poll enqueues; a poll retried after a crash archives again, and readers see each story once", async () => {
    const feed = { url: feedUrl, backfill: true };
    const deps = pollDeps(ctx);
    const crashed = { ...deps, seen: { ...deps.seen, remember: () => Promise.reject(new Error("worker died")) } };
    expect(await pollFeed(feed, crashed)).toMatchObject({ outcome: "failed" });
    now += DAY;
    expect(await pollFeed(feed, deps)).toMatchObject({ outcome: "polled", enqueued: 2 });
    await deps.fetcher.close();
    expect((await stored()).entries).toBe(2);
    const items = await read(now - 2 * DAY);
    expect(items.map((i) => i.story.title)).toEqual(["Story x", "Story y"]);
    expect(items.every((i) => i.feed === feedUrl && i.seen === now - DAY)).toBe(true);
    expect(await ctx.queues.classify.getJobCounts("waiting")).toEqual({ waiting: 1 });
  });

  it("a failing archive neither fails the poll nor loses its classify job", async () => {
    await redis.set(itemsKey(prefix, dayOf(now)), "not a stream");
    const deps = pollDeps(ctx);
    expect(await pollFeed({ url: feedUrl, backfill: true }, deps)).toMatchObject({ outcome: "polled", enqueued: 2 });
    await deps.fetcher.close();
    expect(await ctx.queues.classify.getJobCounts("waiting")).toEqual({ waiting: 1 });
  });
});

describe("decisions", () => {
  let queues: Queues;
  beforeEach(() => {
    queues = createQueues(redis, prefix);
  });
  afterEach(() => closeQueues(queues));

  it("the classify and dedupe stages record each story's classification, verdict and alert jobs", async () => {
    const { config } = loadConfig(DEFAULT_CONFIG_PATH, {});
    config.redis.prefix = prefix;
    const ctx: StageContext = { config, redis, queues, log, clock: { now: () => now } };
    const relevant = story(1, "Chinese destroyers dock in Iran for joint naval drill");
    const other = story(2, "Local club wins the regional football cup");
    await (await createClassifyStage(ctx)).run({ feedUrl: relevant.feedUrl, stories: [relevant, other] }, testHelpers(log));
    const [job] = await queues.dedupe.getJobs(["waiting"]);
    await (await createDedupeStage(ctx)).run(job?.data, testHelpers(log));

    const range = { from: now - DAY, to: now };
    const one = await readDecisions(redis, prefix, relevant.id, range);
    expect(one.classified).toMatchObject({ relevant: true, topics: ["iran-china-defense"], relation: "joint-exercise" });
    expect(one.deduped).toMatchObject({ verdict: "new", cluster: relevant.id, kind: "new", alerts: [{ channel: "file", job: expect.stringMatching(/^[a-f0-9]{32}$/) }] });
    expect(await queues.alert.getJob(one.deduped?.alerts[0]?.job ?? "")).toBeDefined();
    expect(await readDecisions(redis, prefix, other.id, range)).toEqual({ classified: { relevant: false, score: 0, topics: [], relation: null }, deduped: null });
    expect([...(await readDedupedRecords(redis, prefix, range)).keys()]).toEqual([relevant.id]);
  });
});
