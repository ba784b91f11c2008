/** The poll stage end to end: real Redis, real BullMQ queues, feeds served on loopback. */
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import type { FeedEntry } from "../../src/config/sections/feeds.js";
import { createFeedStateStore } from "../../src/feeds/state/feed-state.js";
import { pollFeed } from "../../src/feeds/poll.js";
import { createSeenStore } from "../../src/feeds/state/seen-store.js";
import { createPollStage, pollDeps } from "../../src/jobs/poll-feed.js";
import type { StageContext } from "../../src/jobs/stage.js";
import { createLogger } from "../../src/logger.js";
import type { Redis } from "../../src/queues/connection.js";
import { closeQueues, createQueues } from "../../src/queues/factory.js";
import type { ClassifyJob } from "../../src/queues/payloads.js";
import { connect, dropPrefix, testPrefix } from "../helpers/redis.js";
import { testHelpers } from "../helpers/job-helpers.js";

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 4, 10, 12);

interface FeedDoc {
  items: { id: string; daysAgo?: number }[];
  etag?: string;
}
const docs = new Map<string, FeedDoc>();
const hits = new Map<string, number>();
const special = new Map<string, (res: ServerResponse) => void>();
let server: Server;
let base: string;

function render(doc: FeedDoc, now: number): string {
  const items = doc.items
    .map((i) => `<item><guid>${i.id}</guid><title>Story ${i.id}</title><link>https://pier.example.test/${i.id}</link>${i.daysAgo === undefined ? "" : `<pubDate>${new Date(now - i.daysAgo * DAY).toUTCString()}</pubDate>`}</item>`)
    .join("");
  return `<rss version="2.0"><channel><title>Pier Daily</title>${items}</channel></rss>`;
}

let redis: Redis;
let prefix: string;
let ctx: StageContext;
let now = T0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? "";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const sp = special.get(path);
    if (sp) return sp(res);
    const doc = docs.get(path);
    if (!doc) return res.writeHead(404).end();
    if (doc.etag && req.headers["if-none-match"] === doc.etag) return res.writeHead(304).end();
    res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8", ...(doc.etag ? { etag: doc.etag } : {}) }).end(render(doc, now));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

beforeEach(() => {
  redis = connect();
  prefix = testPrefix("poll");
  now = T0;
  const config = parseConfig(`redis: { prefix: ${prefix} }\ndefaults: { interval: 1m }\n`, "poll-test.yaml", {});
  ctx = { config, redis, queues: createQueues(redis, prefix), log: createLogger({ level: "silent", pretty: false }), clock: { now: () => now } };
});
afterEach(async () => {
  await closeQueues(ctx.queues);
  await dropPrefix(redis, prefix);
  redis.disconnect();
  docs.clear();
  special.clear();
  hits.clear();
});

async function classifyJobs(): Promise<{ id: string; data: ClassifyJob }[]> {
  const jobs = await ctx.queues.classify.getJobs(["waiting", "prioritized", "delayed"]);
  return jobs.map((j) => ({ id: j.id as string, data: j.data as ClassifyJob })).sort((a, b) => a.id.localeCompare(b.id));
}
const titles = (jobs: { data: ClassifyJob }[]) => jobs.flatMap((j) => j.data.stories.map((s) => s.title)).sort();

async function poll(feed: FeedEntry) {
  const stage = await createPollStage(ctx);
  try {
    return await stage.run({ feed }, testHelpers(ctx.log));
  } finally {
    await stage.close?.();
  }
}

describe("poll stage", () => {
  it("remembers the first poll's backlog, then sends only new items, once, in one classify job", async () => {
    docs.set("/f", { items: [{ id: "a", daysAgo: 1 }, { id: "b" }] });
    const feed = { url: `${base}/f`, backfill: false };
    expect(await poll(feed)).toMatchObject({ outcome: "polled", items: 2, fresh: 2, enqueued: 0, backlog: true });
    expect(await classifyJobs()).toEqual([]);

    docs.set("/f", { items: [{ id: "c", daysAgo: 0 }, { id: "d" }, { id: "a", daysAgo: 1 }, { id: "b" }] });
    now += 60_000;
    expect(await poll(feed)).toMatchObject({ outcome: "polled", fresh: 2, enqueued: 2 });
    const jobs = await classifyJobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.data.feedUrl).toBe(feed.url);
    expect(titles(jobs)).toEqual(["Story c", "Story d"]);
    expect(jobs[0]?.data.stories.find((s) => s.title === "Story d")?.published).toBe(new Date(now).toISOString());

    now += 60_000;
    expect(await poll(feed)).toMatchObject({ outcome: "polled", fresh: 0, enqueued: 0 });
    expect(await classifyJobs()).toHaveLength(1);
    const state = await createFeedStateStore(redis, prefix, DAY).get(feed.url);
    expect(state).toMatchObject({ itemsSeen: 4, initialized: true, failures: 0, title: "Pier Daily", lastSuccess: now });
  });

  it("alerts on the backlog when the feed says backfill, and drops (but remembers) items older than the horizon", async () => {
    docs.set("/bf", { items: [{ id: "new", daysAgo: 2 }, { id: "old", daysAgo: 30 }] });
    const feed = { url: `${base}/bf`, backfill: true };
    expect(await poll(feed)).toMatchObject({ outcome: "polled", fresh: 2, enqueued: 1, old: 1 });
    expect(titles(await classifyJobs())).toEqual(["Story new"]);
    const unseen = await createSeenStore(redis, prefix, DAY, 10_000).unseen(feed.url, (await classifyJobs())[0]?.data.stories.map((s) => s.id) ?? []);
    expect(unseen.size).toBe(0);
    now += 60_000;
    expect(await poll(feed)).toMatchObject({ fresh: 0, enqueued: 0 });
  });

  it("enqueues before it remembers: a crash between the two repeats the same job id, a no-op", async () => {
    docs.set("/crash", { items: [{ id: "x" }] });
    const feed = { url: `${base}/crash`, backfill: true };
    const deps = pollDeps(ctx);
    const failingRemember = { ...deps, seen: { ...deps.seen, remember: () => Promise.reject(new Error("worker died")) } };
    // A failure after the enqueue is the feed's error (recorded, backed off), never a lost item.
    expect(await pollFeed(feed, failingRemember)).toEqual({ outcome: "failed", error: "handling the feed failed: worker died" });
    now += DAY;
    expect(await poll(feed)).toMatchObject({ enqueued: 1 });
    await deps.fetcher.close();
    expect(await classifyJobs()).toHaveLength(1);
  });

  it("hands on at most itemsPerPoll new items; the rest go with the next polls, none lost, none twice", async () => {
    docs.set("/burst", { items: Array.from({ length: 1_200 }, (_, i) => ({ id: `b${i}`, daysAgo: 0 })) });
    const feed = { url: `${base}/burst`, backfill: true };
    const enqueued: number[] = [];
    for (let i = 0; i < 4; i++) {
      const outcome = (await poll(feed)) as { enqueued: number };
      enqueued.push(outcome.enqueued);
      now += 60_000;
    }
    expect(enqueued).toEqual([500, 500, 200, 0]);
    const ids = (await classifyJobs()).flatMap((j) => j.data.stories.map((s) => s.title));
    expect(new Set(ids).size).toBe(1_200);
    expect(ids).toHaveLength(1_200);
  });

  it("records anything a poll throws as the feed's error and backs off, so the feed cannot fail every poll", async () => {
    docs.set("/bug", { items: [{ id: "x" }] });
    const feed = { url: `${base}/bug`, backfill: true };
    const deps = pollDeps(ctx);
    const broken = { ...deps, seen: { ...deps.seen, unseen: () => Promise.reject(new RangeError("Maximum call stack size exceeded")) } };
    expect(await pollFeed(feed, broken)).toEqual({ outcome: "failed", error: "handling the feed failed: Maximum call stack size exceeded" });
    expect(await pollFeed(feed, broken)).toMatchObject({ outcome: "backoff" });
    await deps.fetcher.close();
    const state = await createFeedStateStore(redis, prefix, DAY).get(feed.url);
    expect(state).toMatchObject({ failures: 1, lastError: "handling the feed failed: Maximum call stack size exceeded" });
    expect(await classifyJobs()).toEqual([]);
  });

  it("keeps Redis small for a 100,000-item feed: under 2 MB for its seen set, state and classify jobs", async () => {
    docs.set("/huge", { items: Array.from({ length: 100_000 }, (_, i) => ({ id: `h${i}`, daysAgo: 0 })) });
    // The document is about 17 MB: let it past the size cap, so that the item caps are what bound it.
    ctx = { ...ctx, config: parseConfig(`redis: { prefix: ${prefix} }\ndefaults: { interval: 1m, maxBytes: 50000000 }\n`, "poll-test.yaml", {}) };
    const feed = { url: `${base}/huge`, backfill: true };
    expect(await poll(feed)).toMatchObject({ outcome: "polled", items: 2_000, enqueued: 500 });
    let bytes = 0;
    for await (const keys of redis.scanStream({ match: `{${prefix}}*`, count: 1000 }) as AsyncIterable<string[]>) {
      for (const key of keys) bytes += (await redis.memory("USAGE", key)) ?? 0;
    }
    expect(bytes).toBeLessThan(2 * 1024 * 1024);
  }, 30_000);

  it("splits a large batch into classify jobs of 100 stories", async () => {
    docs.set("/many", { items: Array.from({ length: 250 }, (_, i) => ({ id: `m${i}` })) });
    await poll({ url: `${base}/many`, backfill: true });
    expect((await classifyJobs()).map((j) => j.data.stories.length).sort()).toEqual([100, 100, 50]);
  });

  it("answers a 304 with no parse and no writes beyond the feed's status", async () => {
    docs.set("/etag", { items: [{ id: "e" }], etag: '"e1"' });
    const feed = { url: `${base}/etag`, backfill: false };
    await poll(feed);
    now += 60_000;
    const deps = pollDeps(ctx);
    const calls: string[] = [];
    const counted = {
      ...deps,
      seen: { unseen: async () => (calls.push("unseen"), new Set<string>()), remember: async () => void calls.push("remember") },
      states: { get: deps.states.get, update: async (...args: Parameters<typeof deps.states.update>) => (calls.push("update"), deps.states.update(...args)) },
    };
    try {
      expect(await pollFeed(feed, counted)).toEqual({ outcome: "not-modified" });
    } finally {
      await deps.fetcher.close();
    }
    expect(calls).toEqual(["update"]);
    expect((await createFeedStateStore(redis, prefix, DAY).get(feed.url)).lastSuccess).toBe(now);
  });

  it("records a failure, backs off without fetching, and recovers; the job never throws", async () => {
    special.set("/down", (res) => res.writeHead(500).end());
    const feed = { url: `${base}/down`, backfill: false };
    expect(await poll(feed)).toMatchObject({ outcome: "failed", error: expect.stringMatching(/HTTP 500/) });
    const states = createFeedStateStore(redis, prefix, DAY);
    expect(await states.get(feed.url)).toMatchObject({ failures: 1, lastErrorAt: now });
    now += 60_000;
    expect(await poll(feed)).toMatchObject({ outcome: "failed" });
    expect((await states.get(feed.url)).failures).toBe(2);
    now += 60_000;
    expect(await poll(feed)).toMatchObject({ outcome: "backoff" });
    expect(hits.get("/down")).toBe(2);
    special.delete("/down");
    docs.set("/down", { items: [{ id: "up" }] });
    now += 60_000;
    expect(await poll(feed)).toMatchObject({ outcome: "polled" });
    expect(await states.get(feed.url)).toMatchObject({ failures: 0, backoffUntil: null, lastError: expect.stringMatching(/HTTP 500/) });
  });

  it("honours Retry-After on a 429", async () => {
    special.set("/slow", (res) => res.writeHead(429, { "retry-after": "3600" }).end());
    const feed = { url: `${base}/slow`, backfill: false };
    await poll(feed);
    expect((await createFeedStateStore(redis, prefix, DAY).get(feed.url)).backoffUntil).toBe(now + 3_600_000);
  });

  it("follows a permanent redirect from then on", async () => {
    special.set("/moved", (res) => res.writeHead(301, { location: "/home" }).end());
    docs.set("/home", { items: [{ id: "h" }] });
    const feed = { url: `${base}/moved`, backfill: false };
    await poll(feed);
    expect((await createFeedStateStore(redis, prefix, DAY).get(feed.url)).currentUrl).toBe(`${base}/home`);
    now += 60_000;
    await poll(feed);
    expect(hits.get("/moved")).toBe(1);
    expect(hits.get("/home")).toBe(2);
  });
});
