/**
 * Feed ingestion: parse throughput on a 1,000-item RSS document (against
 * rss-parser on the same bytes, in the same run), then one poll round of
 * 1,000 feeds on loopback — 950 answer 304, 50 carry two new items each —
 * through the real poll code, real Redis and real queues. The round's wall
 * time is set against a bare round of the same conditional GETs (no parse,
 * no Redis), and the share of it not spent waiting is the event loop's
 * utilisation; the feed server runs in a worker thread so its work is not
 * counted. Ends with the Redis bytes one remembered item costs.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import Parser from "rss-parser";
import { parseConfig } from "../src/config/load.js";
import { createFetcher } from "../src/feeds/fetch/fetch.js";
import { parseFeed } from "../src/feeds/parse/parse.js";
import { pollFeed, type PollOutcome } from "../src/feeds/poll.js";
import { createSeenStore, seenKey } from "../src/feeds/state/seen-store.js";
import { pollDeps } from "../src/jobs/poll-feed.js";
import { createLogger } from "../src/logger.js";
import { createRedis, keyTag, type Redis } from "../src/queues/connection.js";
import { closeQueues, createQueues } from "../src/queues/factory.js";
import { type BenchOptions } from "./harness.js";

const FEEDS = 1_000;
const CHANGED = 50;
const CONCURRENCY = 50;

function rss(feed: number, items: number, version: number, baseMs: number): string {
  const parts: string[] = [];
  for (let i = items - 1; i >= 0; i--) {
    const date = new Date(baseMs + (version * 1000 + i) * 60_000).toUTCString();
    parts.push(
      `<item><title>Feed ${feed} story ${version}-${i}: council weighs harbour &amp; rail plan</title>` +
        `<link>https://bench.example.test/${feed}/${version}/${i}?utm_source=rss</link><guid isPermaLink="false">f${feed}-v${version}-i${i}</guid>` +
        `<description><![CDATA[<p>Story ${i} of the <b>bench</b> feed: the council met on Tuesday to weigh a harbour and rail plan.</p>]]></description>` +
        `<pubDate>${date}</pubDate><category>bench</category></item>`,
    );
  }
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Bench ${feed}</title><link>https://bench.example.test/</link>${parts.join("")}</channel></rss>`;
}

async function parseBench(quick: boolean): Promise<string[]> {
  const body = Buffer.from(rss(0, 1_000, 0, Date.now() - 86_400_000));
  const runs = quick ? 3 : 10;
  parseFeed(body, { url: "https://bench.example.test/feed" });
  let t = performance.now();
  for (let i = 0; i < runs; i++) parseFeed(body, { url: "https://bench.example.test/feed" });
  const ours = (runs * 1_000) / ((performance.now() - t) / 1000);
  const other = new Parser();
  await other.parseString(body.toString("utf8"));
  t = performance.now();
  for (let i = 0; i < runs; i++) await other.parseString(body.toString("utf8"));
  const theirs = (runs * 1_000) / ((performance.now() - t) / 1000);
  return [
    `  parse, 1,000-item RSS 2.0 (${(body.length / 1024).toFixed(0)} KB): ${Math.round(ours).toLocaleString("en-US")} items/s` +
      ` = ${(ours / theirs).toFixed(2)}x rss-parser 3.13 on the same bytes (${Math.round(theirs).toLocaleString("en-US")} items/s; it does no charset, date or identity work)`,
  ];
}

/** The feed server, in a worker thread so its CPU is not the poller's. */
const SERVER = `
const http = require("node:http");
const { parentPort } = require("node:worker_threads");
const render = new Function("feed", "items", "version", "baseMs", ${JSON.stringify(`return (${rss.toString()})(feed, items, version, baseMs);`)});
const baseMs = Date.now() - 86400000;
const version = new Map();
const server = http.createServer({ keepAliveTimeout: 60000 }, (req, res) => {
  const feed = Number(req.url.slice(3));
  const v = version.get(feed) ?? 0;
  const etag = '"v' + v + '"';
  if (req.headers["if-none-match"] === etag) { res.writeHead(304, { etag }); res.end(); return; }
  const body = render(feed, 20 + 2 * v, 0, baseMs);
  res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8", etag });
  res.end(body);
});
server.listen(0, "127.0.0.1", () => parentPort.postMessage({ port: server.address().port }));
parentPort.on("message", (m) => {
  if (m.bump) for (const f of m.bump) version.set(f, (version.get(f) ?? 0) + 1);
  if (m.close) server.close();
  parentPort.postMessage({ ok: true });
});
`;

async function pool<T>(items: T[], size: number, run: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      for (let i = next++; i < items.length; i = next++) await run(items[i] as T);
    }),
  );
}

async function dropKeys(redis: Redis, prefix: string): Promise<void> {
  for await (const keys of redis.scanStream({ match: `${keyTag(prefix)}*`, count: 1000 }) as AsyncIterable<string[]>) {
    if (keys.length > 0) await redis.unlink(...keys);
  }
}

async function pollRoundBench(redisUrl: string): Promise<string[]> {
  const worker = new Worker(SERVER, { eval: true });
  const message = () => new Promise<{ port?: number }>((r) => worker.once("message", r));
  const { port } = await message();
  const base = `http://127.0.0.1:${port}/f/`;
  const prefix = `nwbench-feeds-${randomUUID().slice(0, 8)}`;
  const redis = createRedis(redisUrl);
  const config = parseConfig(`redis: { prefix: ${prefix} }\n`, "bench.yaml", {});
  const queues = createQueues(redis, prefix);
  const deps = pollDeps({ config, redis, queues, log: createLogger({ level: "silent", pretty: false }), clock: { now: () => Date.now() } });
  const feeds = Array.from({ length: FEEDS }, (_, i) => ({ url: `${base}${i}`, backfill: false }));
  const outcomes = new Map<string, number>();
  const round = async () => {
    outcomes.clear();
    const elu = performance.eventLoopUtilization();
    const t = performance.now();
    await pool(feeds, CONCURRENCY, async (feed) => {
      const o: PollOutcome = await pollFeed(feed, deps);
      outcomes.set(o.outcome, (outcomes.get(o.outcome) ?? 0) + (o.outcome === "polled" ? o.enqueued : 1));
    });
    return { ms: performance.now() - t, busy: performance.eventLoopUtilization(elu).utilization };
  };
  try {
    await round(); // first polls: backlog remembered, validators stored
    worker.postMessage({ bump: Array.from({ length: CHANGED }, (_, i) => i * (FEEDS / CHANGED)) });
    await message();
    const measured = await round();
    const enqueued = await queues.classify.count();
    // The same 1,000 conditional GETs with nothing else: the network floor.
    const bare = createFetcher({ timeout: 30_000, connectTimeout: 10_000, maxBytes: 10 << 20, blockPrivate: false });
    const etags = await Promise.all(feeds.map(async (f) => (await deps.states.get(f.url)).etag));
    await pool(feeds.slice(0, 100), CONCURRENCY, (f) => bare.fetch(f.url, {}, 0));
    const t = performance.now();
    await pool(feeds.map((f, i) => ({ f, etag: etags[i] })), CONCURRENCY, ({ f, etag }) => bare.fetch(f.url, { etag }, 0));
    const bareMs = performance.now() - t;
    await bare.close();
    return [
      `  poll round, ${FEEDS} feeds on loopback (${FEEDS - CHANGED} answer 304, ${CHANGED} have 2 new items), concurrency ${CONCURRENCY}:` +
        ` ${measured.ms.toFixed(0)} ms wall = ${(measured.ms / bareMs).toFixed(2)}x the bare conditional GETs (${bareMs.toFixed(0)} ms);` +
        ` not waiting on the network ${(measured.busy * 100).toFixed(0)}% of it (event-loop utilisation)`,
      `    outcomes: ${outcomes.get("not-modified") ?? 0} not modified, ${outcomes.get("polled") ?? 0} stories enqueued in ${enqueued} classify jobs`,
      ...(await seenBytes(redis, prefix)),
    ];
  } finally {
    await deps.fetcher.close();
    await closeQueues(queues);
    await dropKeys(redis, prefix);
    redis.disconnect();
    worker.postMessage({ close: true });
    await message();
    await worker.terminate();
  }
}

/** Redis memory per remembered item, for a typical feed (20 items) and a large one (1,000). */
async function seenBytes(redis: Redis, prefix: string): Promise<string[]> {
  const store = createSeenStore(redis, prefix, 90 * 86_400_000, 10_000);
  const out: string[] = [];
  for (const n of [20, 1_000]) {
    const url = `https://bytes.example.test/${n}`;
    await store.remember(url, Array.from({ length: n }, (_, i) => `${i.toString(16).padStart(8, "0")}${"ab".repeat(12)}`), Date.now());
    const bytes = Number(await redis.call("MEMORY", "USAGE", seenKey(prefix, url), "SAMPLES", "0"));
    out.push(`${n}-item feed ${(bytes / n).toFixed(0)} B/item`);
  }
  return [`    seen-set memory: ${out.join(", ")} (sorted set per feed, 32-hex ids, key overhead included)`];
}

export async function runFeedsBench(opts: BenchOptions): Promise<string[]> {
  return ["feeds:", ...(await parseBench(opts.quick)), ...(await pollRoundBench(opts.redisUrl))];
}
