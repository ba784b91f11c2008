/**
 * The pipeline against its floor: N synthetic items through the real four
 * stages, and N jobs through a four-queue chain of no-op BullMQ workers on
 * the same Redis, in the same run. Prints items/s, the ratio, and alert latency.
 */
import { randomUUID } from "node:crypto";
import { Queue, Worker } from "bullmq";
import { loadConfig } from "../src/config/load.js";
import { ConfigSchema } from "../src/config/schema.js";
import { createLogger } from "../src/logger.js";
import { createRedis, keyTag, type Redis } from "../src/queues/connection.js";
import { enqueueBulk, type Queues } from "../src/queues/factory.js";
import { DEFAULT_CONFIG_PATH } from "../src/paths.js";
import { startService } from "../src/service/service.js";
import { hashId } from "../src/ids.js";
import { listen, percentile, rate, until, type BenchOptions } from "./harness.js";
import { rssDocument, syntheticItem, type SyntheticItem } from "./synthetic.js";

async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  for await (const keys of redis.scanStream({ match: `${keyTag(prefix)}*`, count: 1000 }) as AsyncIterable<string[]>) {
    if (keys.length > 0) await redis.unlink(...keys);
  }
}

async function drained(queues: Queues): Promise<boolean> {
  for (const q of Object.values(queues)) {
    const c = await q.getJobCounts("waiting", "active", "delayed", "prioritized", "waiting-children");
    if (Object.values(c).some((n) => n > 0)) return false;
  }
  return true;
}

async function runPipeline(opts: BenchOptions, feeds: SyntheticItem[][]): Promise<{ ms: number; latencies: number[]; alerts: number }> {
  const prefix = `nwbench-pipe-${randomUUID().slice(0, 8)}`;
  const received = new Map<string, number>();
  const hook = await listen((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      received.set((JSON.parse(body) as { story: { id: string } }).story.id, Date.now());
      res.writeHead(204).end();
    });
  });
  const feedServer = await listen((req, res) => {
    const i = Number(req.url?.slice(1));
    res.writeHead(200, { "content-type": "application/rss+xml" });
    res.end(rssDocument(`Feed ${i}`, feeds[i] ?? []));
  });
  const base = loadConfig(DEFAULT_CONFIG_PATH, {}).config;
  const config = ConfigSchema.parse({
    redis: { url: opts.redisUrl, prefix },
    topics: base.topics,
    alerts: { webhooks: [{ url: `${hook.url}/hook` }] },
  });
  const log = createLogger({ level: "warn", pretty: false });
  const service = await startService({ config, configFile: DEFAULT_CONFIG_PATH, stages: ["poll", "classify", "dedupe", "alert"], log });
  const start = Date.now();
  await enqueueBulk(
    service.ctx.queues,
    "poll",
    feeds.map((_, i) => ({ jobId: hashId(prefix, String(i)), data: { feed: { url: `${feedServer.url}/${i}`, backfill: true } } })),
  );
  await until(async () => (await service.ctx.queues.poll.getCompletedCount()) === feeds.length && (await drained(service.ctx.queues)), 600_000, "the pipeline to drain");
  const ms = Date.now() - start;
  // An item is enqueued when its poll adds the classify job that carries it.
  const enqueuedAt = new Map<string, number>();
  for (const job of await service.ctx.queues.classify.getCompleted(0, -1)) {
    for (const story of (job.data as { stories: { id: string }[] }).stories) enqueuedAt.set(story.id, job.timestamp);
  }
  const latencies = [...received].map(([id, at]) => at - (enqueuedAt.get(id) ?? start)).sort((a, b) => a - b);
  await service.stop();
  hook.server.close();
  feedServer.server.close();
  const redis = createRedis(opts.redisUrl);
  await dropPrefix(redis, prefix);
  await redis.quit();
  return { ms, latencies, alerts: received.size };
}

async function runNoopChain(opts: BenchOptions, n: number): Promise<number> {
  const prefix = keyTag(`nwbench-noop-${randomUUID().slice(0, 8)}`);
  const names = ["n1", "n2", "n3", "n4"];
  const connection = createRedis(opts.redisUrl);
  const queues = names.map((name) => new Queue(name, { connection, prefix }));
  const workers = names.map(
    (name, i) =>
      new Worker(
        name,
        async (job) => {
          const next = queues[i + 1];
          if (next) await next.add("noop", job.data, { jobId: job.id, removeOnComplete: true });
        },
        { connection: createRedis(opts.redisUrl), prefix, concurrency: 20, removeOnComplete: { count: 0 } },
      ),
  );
  let done = 0;
  const last = workers[3] as Worker;
  last.on("completed", () => done++);
  const start = Date.now();
  const first = queues[0] as Queue;
  for (let i = 0; i < n; i += 1000) {
    await first.addBulk(
      Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({ name: "noop", data: { i: i + k }, opts: { jobId: `j${i + k}`, removeOnComplete: true } })),
    );
  }
  await until(async () => done >= n, 600_000, "the no-op chain");
  const ms = Date.now() - start;
  await Promise.all(workers.map((w) => w.close()));
  await Promise.all(queues.map((q) => q.obliterate({ force: true })));
  await Promise.all(queues.map((q) => q.close()));
  await connection.quit();
  return ms;
}

export async function runPipelineBench(opts: BenchOptions): Promise<string[]> {
  const perFeed = 100;
  const feedCount = opts.quick ? 20 : 100;
  const n = perFeed * feedCount;
  const feeds = Array.from({ length: feedCount }, (_, f) => Array.from({ length: perFeed }, (_, k) => syntheticItem(f * perFeed + k)));
  const noopMs = await runNoopChain(opts, n);
  const pipe = await runPipeline(opts, feeds);
  const relevant = feeds.flat().filter((i) => i.relevant).length;
  return [
    `pipeline: ${n} items (${relevant} relevant) from ${feedCount} loopback feeds through poll → classify → dedupe → alert`,
    `  no-op 4-queue chain (baseline): ${rate(n, noopMs)}`,
    `  newswatch pipeline:             ${rate(n, pipe.ms)}  = ${(noopMs / pipe.ms).toFixed(2)}× the no-op chain`,
    `  alerts delivered: ${pipe.alerts}; latency item enqueued → webhook received: p50 ${percentile(pipe.latencies, 50)} ms, p99 ${percentile(pipe.latencies, 99)} ms`,
  ];
}
