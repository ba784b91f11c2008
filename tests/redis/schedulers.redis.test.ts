import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigSchema } from "../../src/config/schema.js";
import { createLogger } from "../../src/logger.js";
import type { Redis } from "../../src/queues/connection.js";
import { closeQueues, createQueues, type Queues } from "../../src/queues/factory.js";
import { readScheduledFeeds, schedulerId, syncFeedSchedulers } from "../../src/service/schedulers.js";
import { startService } from "../../src/service/service.js";
import { connect, dropPrefix, testPrefix } from "../helpers/redis.js";
import { HAS_REDIS_SERVER, ownRedisServer, warnIfNoRedisServer } from "../helpers/redis-server.js";
import { waitFor } from "../helpers/wait-for.js";

const A = "http://127.0.0.1:9/a.xml";
const B = "http://127.0.0.1:9/b.xml";
const C = "http://127.0.0.1:9/c.xml";
const ME = "/etc/newswatch/a.yaml";

const config = (urls: string[], redis: Record<string, unknown> = { prefix: "x" }) =>
  ConfigSchema.parse({ redis, defaults: { interval: "5m" }, feeds: urls.map((url) => ({ url })) });

describe("on the shared Redis", () => {
  let redis: Redis;
  let queues: Queues;
  let prefix: string;

  beforeEach(() => {
    redis = connect();
    prefix = testPrefix("sched");
    queues = createQueues(redis, prefix);
  });

  afterEach(async () => {
    await closeQueues(queues);
    await dropPrefix(redis, prefix);
    await redis.quit();
  });

  it("keeps exactly one scheduler per configured feed, idempotently, and removes feeds that left the config", async () => {
    await syncFeedSchedulers(queues.poll, config([A, B]), ME);
    const second = await syncFeedSchedulers(queues.poll, config([A, B]), ME);
    expect(second.created).toEqual([]);
    let schedulers = await queues.poll.getJobSchedulers(0, -1);
    expect(schedulers.map((s) => s.key).sort()).toEqual([schedulerId({ url: A }), schedulerId({ url: B })].sort());
    expect(schedulers.every((s) => s.every === 300_000)).toBe(true);
    // One pending poll per feed, however many times the config was synced.
    expect(await queues.poll.getJobCountByTypes("waiting", "delayed")).toBe(2);

    const { removed } = await syncFeedSchedulers(queues.poll, config([A]), ME);
    expect(removed).toEqual([B]);
    schedulers = await queues.poll.getJobSchedulers(0, -1);
    expect(schedulers.map((s) => s.key)).toEqual([schedulerId({ url: A })]);
  });

  it("stamps its owner on each scheduler; a second config on the prefix leaves the first one's feeds alone and counts them", async () => {
    await syncFeedSchedulers(queues.poll, config([A, B]), ME);
    const other = await syncFeedSchedulers(queues.poll, config([C]), "/srv/other.yaml");
    expect(other.removed).toEqual([]);
    expect(other.foreign).toEqual(new Map([[ME, 2]]));
    const found = await readScheduledFeeds(queues.poll);
    expect(found.map((s) => [s.feed?.url, s.owner]).sort()).toEqual([[A, ME], [B, ME], [C, "/srv/other.yaml"]]);
    // The poll job a scheduler makes still validates: the poll stage's schema drops the owner.
    const polls = await queues.poll.getJobs(["delayed", "waiting"]);
    expect(polls.map((j) => (j.data as { feed: { url: string } }).feed.url).sort()).toEqual([A, B, C]);

    const mine = await syncFeedSchedulers(queues.poll, config([A]), ME);
    expect(mine.removed).toEqual([B]);
    expect(mine.foreign).toEqual(new Map([["/srv/other.yaml", 1]]));
  });

  it("treats a scheduler made before owners as its own: re-stamped when configured, removed when not", async () => {
    for (const url of [A, B]) {
      await queues.poll.upsertJobScheduler(schedulerId({ url }), { every: 300_000 }, { name: "poll-feed", data: { feed: { url, backfill: false } } });
    }
    const result = await syncFeedSchedulers(queues.poll, config([A]), ME);
    expect(result.removed).toEqual([B]);
    expect(result.foreign.size).toBe(0);
    expect((await readScheduledFeeds(queues.poll)).map((s) => [s.feed?.url, s.owner])).toEqual([[A, ME]]);
  });
});

warnIfNoRedisServer("scheduler re-creation after Redis comes back empty");

describe.runIf(HAS_REDIS_SERVER)("on a Redis of its own", () => {
  it("re-creates the job schedulers when Redis comes back empty, and says so", { timeout: 40_000 }, async () => {
    const server = await ownRedisServer();
    const lines: string[] = [];
    const log = createLogger({ level: "info", destination: { write: (l: string) => void lines.push((JSON.parse(l) as { msg: string }).msg) } });
    const service = await startService({ config: config([A, B], { url: server.url, prefix: "own" }), configFile: ME, stages: ["poll"], log });
    try {
      expect((await readScheduledFeeds(service.ctx.queues.poll)).length).toBe(2);
      await server.stop();
      await server.start();
      await waitFor(() => lines.includes("redis: job schedulers were missing; re-created 2"), { timeout: 20_000, what: "the schedulers to be re-created" });
      expect((await readScheduledFeeds(service.ctx.queues.poll)).map((s) => s.feed?.url).sort()).toEqual([A, B]);
      // Each re-created scheduler has its job, and no other poll job exists. (Counted by scheduler: while a poll
      // runs, BullMQ has already added that scheduler's next job, so a busy machine can catch two of one.)
      const jobs = await service.ctx.queues.poll.getJobs(["waiting", "delayed", "active"]);
      expect([...new Set(jobs.map((j) => j.repeatJobKey))].sort()).toEqual([schedulerId({ url: A }), schedulerId({ url: B })].sort());
    } finally {
      await service.stop();
      await server.stop();
    }
  });
});
