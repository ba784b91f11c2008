/**
 * `npm run bench -- --only scale [--quick]`: the service's scaling figures on
 * this machine, from the compiled service (`newswatch run`) against a
 * redis-server of the bench's own (never the shared one):
 *
 * 1. Throughput of 1, 2 and 3 processes on one Redis, each twice in one run:
 *    loopback feeds publish many items at once; items/s from that moment
 *    until every item is classified and every alert is received.
 * 2. A poll round of many loopback feeds that answer 304 to a matching
 *    If-None-Match (a few % publish new items each round): the round's wall
 *    time against bare conditional GETs, CPU of the service and of Redis,
 *    Redis commands per poll and memory per feed.
 * 3. bench/sizing.ts run on those figures for 10k and 100k feeds.
 */
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Writable } from "node:stream";
import { Agent, request } from "undici";
import { Redis as IORedis } from "ioredis";
import { seenKey, createSeenStore } from "../src/feeds/state/seen-store.js";
import { feedStateKey } from "../src/feeds/state/feed-state.js";
import { hashId } from "../src/ids.js";
import { createRedis } from "../src/queues/connection.js";
import { closeQueues, createQueues, type Queues } from "../src/queues/factory.js";
import { schedulerId } from "../src/service/schedulers.js";
import { HAS_REDIS_SERVER, ownRedisServer, type OwnRedis } from "../tests/helpers/redis-server.js";
import { listen, rate, until, type BenchOptions } from "./harness.js";
import { buildService, defaultTopicsYaml, spawnService, type ServiceCommand, type ServiceProcess } from "./service-process.js";
import { sizeFor, sizingTable, type Assumptions, type Measured } from "./sizing.js";
import { rssDocument, syntheticItem, type SyntheticItem } from "./synthetic.js";

const PREFIX = "nwscale";
const ITEMS_PER_DOCUMENT = 20;

/** Loopback feeds with ETags: a request whose If-None-Match matches the feed's version gets 304. */
async function loopbackFeeds(count: number) {
  const bodies: string[] = new Array<string>(count).fill(rssDocument("empty", []));
  const versions = new Array<number>(count).fill(0);
  const items: SyntheticItem[][] = Array.from({ length: count }, () => []);
  /** Per feed, when each service request came in (the floor's requests are not counted). */
  const requests: number[][] = Array.from({ length: count }, () => []);
  const served = { ok: 0, notModified: 0 };
  const { server, url } = await listen((req, res) => {
    const i = Number(/^\/feed\/(\d+)$/.exec(req.url ?? "")?.[1]);
    if (!(i >= 0 && i < count)) return void res.writeHead(404).end();
    if (!req.headers["x-floor"]) requests[i]!.push(Date.now());
    const etag = `"v${versions[i]}"`;
    if (req.headers["if-none-match"] === etag) {
      served.notModified++;
      return void res.writeHead(304, { etag }).end();
    }
    served.ok++;
    res.writeHead(200, { "content-type": "application/rss+xml", etag }).end(bodies[i]);
  });
  return {
    urls: Array.from({ length: count }, (_, i) => `${url}/feed/${i}`),
    requests,
    served,
    etag: (i: number) => `"v${versions[i]}"`,
    /** Adds items to feed i's document (newest first) and gives it a new ETag. */
    publish(i: number, add: SyntheticItem[]) {
      items[i] = [...add, ...items[i]!].slice(0, Math.max(ITEMS_PER_DOCUMENT, add.length));
      versions[i]!++;
      bodies[i] = rssDocument(`Feed ${i}`, items[i]);
    },
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}
type LoopbackFeeds = Awaited<ReturnType<typeof loopbackFeeds>>;

function writeConfig(dir: string, redisUrl: string, feedUrls: string[], interval: string, hookUrl: string): string {
  const file = path.join(dir, "newswatch.yaml");
  writeFileSync(
    file,
    [
      `redis: { url: ${redisUrl}, prefix: ${PREFIX} }`,
      `defaults: { interval: ${interval} }`,
      "feeds:",
      ...feedUrls.map((url, i) => `  - { url: "${url}", name: Feed ${i} }`),
      defaultTopicsYaml(),
      "alerts:",
      `  webhooks: [ { name: hook, url: "${hookUrl}" } ]`,
    ].join("\n"),
  );
  return file;
}

/** A webhook receiver that only counts: the bench process must not compete with the service for CPU. */
async function countingReceiver() {
  const stories = new Set<string>();
  const hook = await listen((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      stories.add((JSON.parse(body) as { story: { id: string } }).story.id);
      res.writeHead(204).end();
    });
  });
  return { stories, url: `${hook.url}/hook`, close: () => hook.server.close() };
}

async function info(redis: IORedis, section: string): Promise<Record<string, string>> {
  const text = await redis.info(section);
  return Object.fromEntries(text.split("\r\n").filter((l) => l.includes(":")).map((l) => l.split(":", 2) as [string, string]));
}

interface RedisCounters {
  commands: number;
  cpuMs: number;
  usedMemory: number;
}

async function redisCounters(redis: IORedis): Promise<RedisCounters> {
  const [stats, cpu, memory] = [await info(redis, "stats"), await info(redis, "cpu"), await info(redis, "memory")];
  return {
    commands: Number(stats.total_commands_processed),
    cpuMs: (Number(cpu.used_cpu_user) + Number(cpu.used_cpu_sys)) * 1000,
    usedMemory: Number(memory.used_memory),
  };
}

/** CPU time of a process and all its threads (utime + stime from /proc, in clock ticks of 10 ms). */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** No job waiting or running in these stages; the poll queue always holds each feed's next (delayed) poll. */
/** Busy time of the whole machine, every core (from /proc/stat: all but idle and iowait). */
function machineBusyMs(): number {
  const [, ...ticks] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).map(Number);
  const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
  return (total - ticks[3]! - ticks[4]!) * 10;
}

async function idle(queues: Queues, stages: (keyof Queues)[]): Promise<boolean> {
  for (const stage of stages) {
    const c = await queues[stage].getJobCounts("waiting", "active", "prioritized", ...(stage === "poll" ? [] : ["delayed" as const]));
    if (Object.values(c).some((x) => x > 0)) return false;
  }
  return true;
}

/** A redis-server of the bench's own, the service processes, their queues; everything stopped by close(). */
async function rig(command: ServiceCommand, processes: number, feedUrls: string[], interval: string, hookUrl: string, log: Writable) {
  const own: OwnRedis = await ownRedisServer();
  const stats = new IORedis(own.url);
  const before = await redisCounters(stats);
  const dir = mkdtempSync(path.join(os.tmpdir(), "nw-scale-"));
  const configFile = writeConfig(dir, own.url, feedUrls, interval, hookUrl);
  const redis = createRedis(own.url);
  const queues = createQueues(redis, PREFIX);
  const services: ServiceProcess[] = Array.from({ length: processes }, () => spawnService(command, configFile, log));
  await Promise.all(services.map((s) => s.ready));
  return {
    own,
    stats,
    before,
    queues,
    services,
    async close() {
      await Promise.all(services.map((s) => s.stop()));
      await closeQueues(queues);
      redis.disconnect();
      stats.disconnect();
      await own.stop();
    },
  };
}

// ——— 1. throughput of 1, 2, 3 processes ———

interface Throughput {
  ms: number;
  alerts: number;
  relevant: number;
  /** CPU time over the run: the service processes', Redis's, and the whole machine's (other work on it included). */
  cpuMs: { service: number; redis: number; machine: number };
}

async function throughput(command: ServiceCommand, processes: number, feedCount: number, perFeed: number, log: Writable): Promise<Throughput> {
  const feeds = await loopbackFeeds(feedCount);
  const hook = await countingReceiver();
  const r = await rig(command, processes, feeds.urls, "1s", hook.url, log);
  const serviceCpu = () => r.services.reduce((sum, s) => sum + processCpuMs(s.child.pid!), 0);
  try {
    // Two requests per feed: the first poll (an empty document) is done and its ETag stored.
    await until(async () => feeds.requests.every((t) => t.length >= 2), 120_000, "two polls of every feed");
    const docs = Array.from({ length: feedCount }, (_, f) => Array.from({ length: perFeed }, (_, k) => syntheticItem(f * perFeed + k)));
    const relevant = docs.flat().filter((i) => i.relevant).length;
    const classifyJobs = feedCount * Math.ceil(perFeed / 100);
    const [start, service0, redis0, machine0] = [Date.now(), serviceCpu(), (await redisCounters(r.stats)).cpuMs, machineBusyMs()];
    docs.forEach((items, f) => feeds.publish(f, items));
    await until(
      async () => (await r.queues.classify.getCompletedCount()) >= classifyJobs && (await idle(r.queues, ["classify", "dedupe", "alert"])),
      600_000,
      `${processes} process(es) to drain the pipeline`,
    );
    const ms = Date.now() - start;
    const cpuMs = { service: serviceCpu() - service0, redis: (await redisCounters(r.stats)).cpuMs - redis0, machine: machineBusyMs() - machine0 };
    return { ms, alerts: hook.stories.size, relevant, cpuMs };
  } finally {
    await r.close();
    hook.close();
    feeds.close();
  }
}

// ——— 2. a poll round of mostly 304s ———

interface RoundResult {
  feeds: number;
  intervalMs: number;
  /** Bare conditional GETs of every feed, 50 at a time, from the bench process. */
  floorMs: number;
  /** Wall time of rounds 2 and 3 (first to last request), and how far apart their polls were due. */
  roundMs: number[];
  dueSpreadMs: number;
  windowMs: number;
  polls: number;
  changed: number;
  serviceCpuMs: number;
  redis: RedisCounters;
  usedMemory: number;
  keyBytes: { state: number; seen: number; scheduler: number; index: number; other: number };
  seenBytesPerItem: number;
}

async function conditionalFloor(feeds: LoopbackFeeds): Promise<number> {
  const agent = new Agent({ keepAliveTimeout: 60_000 });
  const start = Date.now();
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < feeds.urls.length; i = next++) {
      const res = await request(feeds.urls[i]!, { dispatcher: agent, headers: { "if-none-match": feeds.etag(i), "x-floor": "1" } });
      await res.body.dump();
    }
  };
  await Promise.all(Array.from({ length: 50 }, lane));
  const ms = Date.now() - start;
  await agent.close();
  return ms;
}

/** Bytes of one item in a seen-items set of retention size, written by the real store. */
async function seenBytesPerItem(url: string): Promise<number> {
  const items = 2_000;
  const redis = createRedis(url);
  const store = createSeenStore(redis, `${PREFIX}-probe`, 90 * 86_400_000, 10_000);
  await store.remember("http://probe.example/feed", Array.from({ length: items }, (_, i) => hashId(`probe item ${i}`)), Date.now());
  const bytes = Number(await redis.memory("USAGE", seenKey(`${PREFIX}-probe`, "http://probe.example/feed"), "SAMPLES", "0"));
  redis.disconnect();
  return bytes / items;
}

/** Bytes by kind of key (MEMORY USAGE): per-feed keys, the poll queue's per-feed indexes, and the rest. */
async function keyBytes(redis: IORedis, poll: Queues["poll"], feedUrls: string[]): Promise<RoundResult["keyBytes"]> {
  const state = new Set(feedUrls.map((u) => feedStateKey(PREFIX, u)));
  const seen = new Set(feedUrls.map((u) => seenKey(PREFIX, u)));
  // A scheduler's hash and its pending poll job (`…:repeat:<id>:<millis>`) both start with the scheduler's key.
  const schedulers = new Set(feedUrls.map((u) => poll.toKey(`repeat:${schedulerId({ url: u })}`)));
  const indexes = new Set([poll.keys.repeat, poll.keys.delayed]);
  const out = { state: 0, seen: 0, scheduler: 0, index: 0, other: 0 };
  for await (const keys of redis.scanStream({ count: 1000 }) as AsyncIterable<string[]>) {
    for (const key of keys) {
      const bytes = Number(await redis.memory("USAGE", key, "SAMPLES", "0"));
      const kind = state.has(key)
        ? "state"
        : seen.has(key)
          ? "seen"
          : schedulers.has(key.replace(/:\d+$/, ""))
            ? "scheduler"
            : indexes.has(key)
              ? "index"
              : "other";
      out[kind] += bytes;
    }
  }
  return out;
}

async function pollRound(command: ServiceCommand, feedCount: number, interval: number, log: Writable): Promise<RoundResult> {
  const feeds = await loopbackFeeds(feedCount);
  for (let f = 0; f < feedCount; f++) feeds.publish(f, Array.from({ length: ITEMS_PER_DOCUMENT }, (_, k) => syntheticItem(f * ITEMS_PER_DOCUMENT + k)));
  const floorMs = await conditionalFloor(feeds);
  const hook = await countingReceiver();
  const r = await rig(command, 1, feeds.urls, `${interval}ms`, hook.url, log);
  const pid = r.services[0]!.child.pid!;
  let fresh = feedCount * ITEMS_PER_DOCUMENT;
  /** A few % of feeds publish two new items before the round. */
  const publishSome = (round: number) => {
    let changed = 0;
    for (let f = round; f < feedCount; f += 25, changed++) feeds.publish(f, [syntheticItem(fresh++), syntheticItem(fresh++)]);
    return changed;
  };
  const roundDone = async (k: number) => feeds.requests.every((t) => t.length >= k) && (await idle(r.queues, ["poll", "classify", "dedupe", "alert"]));
  try {
    await until(() => roundDone(1), 300_000, "the first round (full documents)");
    const dueAt = (await r.queues.poll.getJobSchedulers(0, -1)).map((s) => s.next ?? 0);
    const changed = publishSome(2);
    const [start, cpu0, redis0, polls0] = [Date.now(), processCpuMs(pid), await redisCounters(r.stats), feeds.served.ok + feeds.served.notModified];
    await until(() => roundDone(2), 300_000, "round 2");
    publishSome(3);
    await until(() => roundDone(3), 300_000, "round 3");
    const [cpu1, redis1, polls1] = [processCpuMs(pid), await redisCounters(r.stats), feeds.served.ok + feeds.served.notModified];
    const windowMs = Date.now() - start;
    const roundMs = [1, 2].map((k) => {
      const times = feeds.requests.map((t) => t[k]!);
      return Math.max(...times) - Math.min(...times);
    });
    return {
      feeds: feedCount,
      intervalMs: interval,
      floorMs,
      roundMs,
      dueSpreadMs: Math.max(...dueAt) - Math.min(...dueAt),
      windowMs,
      polls: polls1 - polls0,
      changed,
      serviceCpuMs: cpu1 - cpu0,
      redis: { commands: redis1.commands - redis0.commands, cpuMs: redis1.cpuMs - redis0.cpuMs, usedMemory: redis1.usedMemory },
      usedMemory: redis1.usedMemory - r.before.usedMemory,
      keyBytes: await keyBytes(r.stats, r.queues.poll, feeds.urls),
      seenBytesPerItem: await seenBytesPerItem(r.own.url),
    };
  } finally {
    await r.close();
    hook.close();
    feeds.close();
  }
}

// ——— the bench ———

const SIZING: Omit<Assumptions, "retainedItems"> = { intervalMs: 600_000, fetchLatencyMs: 1_000, pollConcurrency: 50, coresPerProcess: 1 };

function measuredPerFeed(round: RoundResult): Measured {
  return {
    serviceCpuMsPerPoll: round.serviceCpuMs / round.polls,
    redisCpuMsPerPoll: round.redis.cpuMs / round.polls,
    redisOpsPerPoll: round.redis.commands / round.polls,
    baseBytesPerFeed: (round.keyBytes.state + round.keyBytes.scheduler + round.keyBytes.index) / round.feeds,
    // Whatever does not grow with the feeds: events streams, kept jobs, the archive of the rounds' items, Redis's own.
    fixedBytes: round.usedMemory - (round.keyBytes.state + round.keyBytes.scheduler + round.keyBytes.index + round.keyBytes.seen),
    seenBytesPerItem: round.seenBytesPerItem,
  };
}

export async function runScaleBench(opts: BenchOptions): Promise<string[]> {
  if (!HAS_REDIS_SERVER) return ["scale: skipped, redis-server is not on PATH (the bench needs a Redis of its own)"];
  const command = buildService();
  const logFile = path.join(mkdtempSync(path.join(os.tmpdir(), "nw-scale-")), "service.log");
  const log = createWriteStream(logFile, { flags: "a" });
  const [feedCount, perFeed] = opts.quick ? [20, 100] : [100, 250];
  const cores = os.cpus().length;
  const lines = [
    `scale: compiled service against a redis-server of its own, on this machine: ${cores} cores (${os.cpus()[0]?.model.trim()}); service log ${logFile}`,
    `  1. ${feedCount * perFeed} items from ${feedCount} loopback feeds published at once, through poll → classify → dedupe → alert (webhook)`,
  ];
  // Each count twice, in the order 1 2 3 3 2 1, so a drift of the machine's load over the run falls on every count alike.
  const runs = new Map<number, Throughput[]>();
  for (const processes of [1, 2, 3, 3, 2, 1]) {
    const t = await throughput(command, processes, feedCount, perFeed, log);
    runs.set(processes, [...(runs.get(processes) ?? []), t]);
  }
  const items = feedCount * perFeed;
  const msOf = (processes: number) => (runs.get(processes) ?? []).reduce((sum, t) => sum + t.ms, 0);
  for (const [processes, done] of runs) {
    const label = `${processes} process${processes > 1 ? "es" : ""}`;
    const each = done.map((t) => rate(items, t.ms)).join(" and ");
    const cores = (k: keyof Throughput["cpuMs"]) => (done.reduce((sum, t) => sum + t.cpuMs[k], 0) / msOf(processes)).toFixed(2);
    lines.push(
      `     ${label.padEnd(11)}: ${rate(items * done.length, msOf(processes)).padStart(8)} (runs ${each})` +
        (processes === 1 ? "  (baseline)" : `  = ${(msOf(1) / msOf(processes)).toFixed(2)}× one process`) +
        `; cores busy: service ${cores("service")}, Redis ${cores("redis")}, whole machine ${cores("machine")}`,
    );
  }
  const first = runs.get(1)?.[0];
  lines.push(`     every run: ${first?.alerts} alerts of ${first?.relevant} stories written to be relevant (the same in each run)`);
  lines.push(`     (${cores} cores shared by the service processes, their worker threads, Redis and the bench's loopback servers)`);

  const [roundFeeds, interval] = opts.quick ? [500, 6_000] : [2_000, 12_000];
  const round = await pollRound(command, roundFeeds, interval, log);
  log.end();
  const m = measuredPerFeed(round);
  const rounds = round.roundMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(", ");
  const perFeedKeys = (bytes: number) => `${Math.round(bytes / round.feeds)} B`;
  lines.push(
    `  2. poll rounds of ${round.feeds} loopback feeds every ${interval / 1000} s, one process; ${round.changed} feeds (${((round.changed / round.feeds) * 100).toFixed(0)} %) publish 2 items a round, the rest answer 304`,
    `     bare conditional GETs of every feed, 50 at a time (baseline): ${(round.floorMs / 1000).toFixed(2)} s`,
    `     rounds 2 and 3, first to last poll: ${rounds} = ${(round.roundMs[0]! / round.floorMs).toFixed(1)}× the bare GETs (polls were due within ${(round.dueSpreadMs / 1000).toFixed(1)} s of each other)`,
    `     over ${(round.windowMs / 1000).toFixed(1)} s and ${round.polls} polls: service CPU ${(round.serviceCpuMs / 1000).toFixed(1)} s = ${((round.serviceCpuMs / round.windowMs) * 100).toFixed(0)} % of a core, ${m.serviceCpuMsPerPoll.toFixed(2)} ms a poll; ` +
      `Redis CPU ${((round.redis.cpuMs / round.windowMs) * 100).toFixed(0)} % of a core, ${m.redisCpuMsPerPoll.toFixed(3)} ms a poll`,
    `     Redis commands: ${m.redisOpsPerPoll.toFixed(1)} a poll (${rate(round.redis.commands, round.windowMs)} over the window; counted as INFO does: each command a BullMQ Lua script runs, and the workers' idle ones)`,
    `     Redis memory: ${(round.usedMemory / 1e6).toFixed(1)} MB more used_memory = ${perFeedKeys(round.usedMemory)} a feed; by key (MEMORY USAGE), a feed's: state ${perFeedKeys(round.keyBytes.state)}, ` +
      `seen set of ${ITEMS_PER_DOCUMENT} items ${perFeedKeys(round.keyBytes.seen)}, scheduler + pending poll ${perFeedKeys(round.keyBytes.scheduler)}, ` +
      `entries in the poll queue's schedule ${perFeedKeys(round.keyBytes.index)}; the rest ${(m.fixedBytes / 1e6).toFixed(1)} MB (events streams, kept jobs, archive), taken as fixed`,
    `     a seen set of retention size (2,000 items, written by the seen store): ${m.seenBytesPerItem.toFixed(0)} B an item`,
  );
  const retained = [ITEMS_PER_DOCUMENT, 1_800];
  lines.push(
    `  3. sizing at a ${SIZING.intervalMs / 60_000} min interval (bench/sizing.ts, from the figures above; extrapolated, not measured at that size):`,
    ...sizingTable([10_000, 100_000], m, { ...SIZING, retainedItems: ITEMS_PER_DOCUMENT }, retained),
    `     assumed: real feeds answer in ${SIZING.fetchLatencyMs / 1000} s (poll slots = polls/s × that, ${SIZING.pollConcurrency} a process), one process ≈ ${SIZING.coresPerProcess} core; ` +
      `memory kept per feed ${retained[0]} items (its document) or ${retained[1]} (20 new items a day for seenTtl's 90 days); the poll mix of round 2 (${((round.changed / round.feeds) * 100).toFixed(0)} % changed).`,
    `     not included: dedupe and delivery state and the archive, which grow with stories, not feeds (README "Redis state", "Archive").`,
  );
  const burst = sizeFor(100_000, m, { ...SIZING, retainedItems: ITEMS_PER_DOCUMENT });
  lines.push(
    `     the rates are averages: a feed's polls keep the offset of its first sync, and one sync schedules every feed (${round.feeds} within ${(round.dueSpreadMs / 1000).toFixed(1)} s here), ` +
      `so a round of ${burst.feeds.toLocaleString("en-US")} feeds falls due at once and the workers run flat out until it drains (${Math.round((burst.feeds * SIZING.fetchLatencyMs) / 1000 / (burst.processes * SIZING.pollConcurrency))} s with the processes above).`,
  );
  return lines;
}
