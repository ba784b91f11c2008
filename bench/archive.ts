/**
 * What the archive costs per item: Redis memory (MEMORY USAGE of the day's
 * stream and decisions hash, divided by the items in them) and time on the
 * poll path, for batches of the sizes polls hand on. The baseline is the
 * classify enqueue the poll already does for the same batches. The stories
 * are the real news of data/labeled (titles and descriptions, 680 bytes of
 * JSON each), under new ids.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { itemsKey, decidedKey, dayOf } from "../src/archive/keys.js";
import { encodeBatch } from "../src/archive/record.js";
import { createArchiveWriter } from "../src/archive/writer.js";
import { storyFromInput, InputItem } from "../src/eval/input-item.js";
import { hashId } from "../src/ids.js";
import { createLogger } from "../src/logger.js";
import { PROJECT_ROOT } from "../src/paths.js";
import { createRedis, keyTag, type Redis } from "../src/queues/connection.js";
import { closeQueues, createQueues, enqueue } from "../src/queues/factory.js";
import type { Classification, Story } from "../src/model/index.js";
import type { BenchOptions } from "./harness.js";

const FEED = "https://feeds.example.org/world/rss.xml";

function realStories(n: number): Story[] {
  const lines = readFileSync(path.join(PROJECT_ROOT, "data/labeled/iran-china-defense.jsonl"), "utf8").trim().split("\n");
  const items = lines.map((l) => InputItem.parse(JSON.parse(l)));
  return Array.from({ length: n }, (_, i) => {
    const item = items[i % items.length] as InputItem;
    return { ...storyFromInput(item, Date.now()), id: hashId("bench", String(i)), feedUrl: FEED };
  });
}

/** One in 30 relevant, as on topic-heavy feeds; the rest as the classify stage records an irrelevant story. */
function classification(i: number): Classification {
  const relevant = i % 30 === 0;
  return { relevant, score: relevant ? 0.934 : 0.012, topics: relevant ? ["iran-china-defense"] : [], entities: [], reasons: [], evidence: null, relation: relevant ? "joint-exercise" : null };
}

async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  for await (const keys of redis.scanStream({ match: `${keyTag(prefix)}*`, count: 1000 }) as AsyncIterable<string[]>) {
    if (keys.length > 0) await redis.unlink(...keys);
  }
}

const chunk = <T>(xs: T[], k: number): T[][] => Array.from({ length: Math.ceil(xs.length / k) }, (_, i) => xs.slice(i * k, (i + 1) * k));
const perItem = (ns: bigint, n: number) => (Number(ns) / 1000 / n).toFixed(1);

async function measure(redis: Redis, stories: Story[], batch: number): Promise<string> {
  const prefix = `nwbench-archive-${randomUUID().slice(0, 8)}`;
  const queues = createQueues(redis, prefix);
  const log = createLogger({ level: "warn", pretty: false });
  const writer = createArchiveWriter({ config: { redis: { prefix }, archive: { enabled: true, span: 7 * 86_400_000, maxBytes: 1024 ** 3 } }, redis, clock: { now: () => Date.now() }, log });
  const batches = chunk(stories, batch);
  const n = stories.length;
  try {
    let t = process.hrtime.bigint();
    for (const [i, b] of batches.entries()) await enqueue(queues, "classify", hashId("job", String(i)), { feedUrl: FEED, stories: b });
    const enqueueNs = process.hrtime.bigint() - t;

    t = process.hrtime.bigint();
    for (const b of batches) await encodeBatch({ v: 1, feed: FEED, seen: Date.now(), stories: b });
    const encodeNs = process.hrtime.bigint() - t;

    const cpu = process.cpuUsage();
    t = process.hrtime.bigint();
    for (const b of batches) await writer.append(FEED, b);
    const appendNs = process.hrtime.bigint() - t;
    const appendCpu = process.cpuUsage(cpu);

    for (const [i, b] of batches.entries()) await writer.recordClassified(b, b.map((_, j) => classification(i * batch + j)));
    const day = dayOf(Date.now());
    const [items, decided] = await Promise.all([
      redis.call("MEMORY", "USAGE", itemsKey(prefix, day), "SAMPLES", "0"),
      redis.call("MEMORY", "USAGE", decidedKey(prefix, day), "SAMPLES", "0"),
    ]);
    const json = stories.reduce((s, x) => s + Buffer.byteLength(JSON.stringify(x)), 0) / n;
    return (
      `  batch ${String(batch).padStart(3)}: Redis ${(Number(items) / n).toFixed(0)} B/item (JSON ${json.toFixed(0)}) + decisions ${(Number(decided) / n).toFixed(0)} B/item; ` +
      `append ${perItem(appendNs, n)} µs/item wall, ${((appendCpu.user + appendCpu.system) / n).toFixed(1)} µs CPU (deflate ${perItem(encodeNs, n)}) ` +
      `vs classify enqueue ${perItem(enqueueNs, n)} µs/item (${(Number(appendNs) / Number(enqueueNs)).toFixed(2)}x)`
    );
  } finally {
    await closeQueues(queues);
    await dropPrefix(redis, prefix);
  }
}

export async function runArchiveBench(opts: BenchOptions): Promise<string[]> {
  const stories = realStories(opts.quick ? 1_000 : 5_000);
  const redis = createRedis(opts.redisUrl);
  try {
    const lines = [`archive: ${stories.length} real news items per batch size, one feed (cost per item in Redis and on the poll path)`];
    for (const batch of [1, 5, 25, 100]) lines.push(await measure(redis, stories, batch));
    return lines;
  } finally {
    redis.disconnect();
  }
}
