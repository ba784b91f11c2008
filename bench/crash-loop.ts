/**
 * The crash-loop trial of issue 15, bounded in time:
 *   npx tsx bench/crash-loop.ts [--runs 3] [--seconds 120] [--feeds 20] [--no-directed] [--tsx]
 *   npm run bench -- --only crashloop        (one 60 s run; --quick: 30 s)
 *
 * Each run: a redis-server of its own (the shared one is never touched; with
 * no redis-server on PATH, REDIS_URL or 127.0.0.1:6379 under a fresh
 * prefix), loopback feeds that publish a new relevant story every 2 s
 * (round robin; each story its own event), and a webhook receiver that
 * answers 500 to 30 % of tries and holds 20 % of them 2–8 s. The service
 * (`newswatch run`, every stage; compiled once like `npm start`, or from the
 * sources with --tsx) is SIGKILLed 3–6 s after each start-up and started
 * again at once, for the trial's time; then it runs undisturbed until every pipeline queue
 * is idle (at most 3 minutes).
 *
 * Per run it prints: alerts expected, delivered and lost; jobs ended failed
 * per stage; stories that arrived under two webhook-ids; repeats with the
 * same webhook-id, against the deliveries that were in flight at a kill
 * (alert jobs the killed process had started and not finished — the most a
 * crash can force to repeat). Then, unless --no-directed, the directed case:
 * one story, a receiver that takes 10 s, two kills during the POST; the
 * third process must deliver it. Exits 1 when a target is missed.
 */
import { randomUUID } from "node:crypto";
import { createWriteStream, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { closeQueues, createQueues, type Queues } from "../src/queues/factory.js";
import { createRedis, keyTag } from "../src/queues/connection.js";
import { STAGES } from "../src/queues/names.js";
import { Alert } from "../src/model/index.js";
import { readAttempts } from "../src/queues/attempts.js";
import { HAS_REDIS_SERVER, ownRedisServer, type OwnRedis } from "../tests/helpers/redis-server.js";
import { startWebhookReceiver, type WebhookReceiver } from "../tests/helpers/webhook-receiver.js";
import { listen, until, type BenchOptions } from "./harness.js";
import { buildService, defaultTopicsYaml, spawnService, TSX_COMMAND, type ServiceCommand, type ServiceProcess } from "./service-process.js";
import { rssDocument, syntheticItem, type SyntheticItem } from "./synthetic.js";

const SECRET = "whsec_" + Buffer.from("crash loop bench key").toString("base64");
const PUBLISH_EVERY = 2_000;
const DRAIN_LIMIT = 180_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface TrialOptions {
  command: ServiceCommand;
  redisUrl: string;
  seconds: number;
  feeds: number;
  seed: number;
}

export interface TrialResult {
  expected: number;
  delivered: number;
  lost: number;
  failed: Record<string, number>;
  failedReasons: string[];
  twoIds: number;
  repeats: number;
  inFlightAtKills: number;
  kills: number;
  drainMs: number;
}

/** A small seeded PRNG (mulberry32), so a run's receiver can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Relevant naval-drill stories, each its own event (syntheticItem's even k). */
const story = (n: number): SyntheticItem => syntheticItem(2 * (n + 1), 1);

function writeConfig(dir: string, redisUrl: string, prefix: string, feedUrls: string[], hookUrl: string, hookTimeout = "10s"): string {
  const file = path.join(dir, "newswatch.yaml");
  const topics = defaultTopicsYaml();
  writeFileSync(
    file,
    [
      `redis: { url: ${redisUrl}, prefix: ${prefix} }`,
      "defaults: { interval: 2s }",
      "feeds:",
      ...feedUrls.map((url, i) => `  - { url: "${url}", name: Feed ${i} }`),
      topics,
      "alerts:",
      `  webhooks: [ { name: hook, url: "${hookUrl}", secret: "${SECRET}", timeout: ${hookTimeout} } ]`,
    ].join("\n"),
  );
  return file;
}

/** A supervisor that restarts the service at once; output goes to one log file per run. */
function supervisor(command: ServiceCommand, configFile: string, logFile: string) {
  const log = createWriteStream(logFile, { flags: "a" });
  let current: ServiceProcess | null = null;
  let startedAt = 0;
  return {
    start() {
      current = spawnService(command, configFile, log);
      startedAt = Date.now();
    },
    get startedAt() {
      return startedAt;
    },
    /** Resolves when the current process has started up (or exited), at most `limitMs` from now. */
    ready: (limitMs: number) => Promise.race([current?.ready ?? Promise.resolve(), sleep(limitMs)]),
    async kill(): Promise<void> {
      await current?.stop("SIGKILL");
    },
    async stop(): Promise<void> {
      await current?.stop("SIGTERM");
      log.end();
    },
  };
}

async function pipelineIdle(queues: Queues): Promise<boolean> {
  for (const stage of ["classify", "dedupe", "alert"] as const) {
    const c = await queues[stage].getJobCounts("waiting", "active", "delayed", "prioritized");
    if (Object.values(c).some((n) => n > 0)) return false;
  }
  return true;
}

/** Alert jobs the current process started and had not finished: what a kill now may force to repeat. */
async function inFlight(queues: Queues, since: number): Promise<number> {
  const active = await queues.alert.getJobs(["active"]);
  return active.filter((j) => (j.processedOn ?? 0) >= since).length;
}

async function dropPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = createRedis(redisUrl);
  for await (const keys of redis.scanStream({ match: `${keyTag(prefix)}*`, count: 1000 }) as AsyncIterable<string[]>) {
    if (keys.length > 0) await redis.unlink(...keys);
  }
  redis.disconnect();
}

export async function crashLoopTrial(opts: TrialOptions, logFile: string): Promise<TrialResult> {
  const rng = random(opts.seed);
  const prefix = `nwcrash-${randomUUID().slice(0, 8)}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), "nw-crash-loop-"));
  const published: SyntheticItem[][] = Array.from({ length: opts.feeds }, () => []);
  const polled = new Array<number>(opts.feeds).fill(0);
  const feeds = await listen((req, res) => {
    const i = Number(/\/feed\/(\d+)/.exec(req.url ?? "")?.[1]);
    polled[i] = (polled[i] ?? 0) + 1;
    res.writeHead(200, { "content-type": "application/rss+xml" }).end(rssDocument(`Feed ${i}`, published[i] ?? []));
  });
  const receiver: WebhookReceiver = await startWebhookReceiver({
    secret: SECRET,
    reply: () => (rng() < 0.3 ? { status: 500 } : { status: 200 }),
    onRequest: async () => {
      if (rng() < 0.2) await sleep(2_000 + rng() * 6_000);
    },
  });
  const configFile = writeConfig(dir, opts.redisUrl, prefix, published.map((_, i) => `${feeds.url}/feed/${i}`), receiver.url);
  const redis = createRedis(opts.redisUrl);
  const queues = createQueues(redis, prefix);
  const service = supervisor(opts.command, configFile, logFile);
  const expected: string[] = [];
  let kills = 0;
  let inFlightAtKills = 0;
  try {
    service.start();
    // Each feed's first poll remembers its backlog without alerting: the stories come after the second.
    await until(async () => polled.every((n) => n >= 2), 60_000, "two polls of every feed");
    const ends = Date.now() + opts.seconds * 1_000;
    const publisher = (async () => {
      for (let n = 0; Date.now() < ends; n++) {
        const item = story(n);
        published[n % opts.feeds]!.push(item);
        expected.push(item.title);
        await sleep(PUBLISH_EVERY);
      }
    })();
    while (Date.now() + 3_000 < ends) {
      // 3–6 s of running between kills, however long a start-up takes on a busy machine.
      await service.ready(30_000);
      await sleep(3_000 + rng() * 3_000);
      inFlightAtKills += await inFlight(queues, service.startedAt);
      await service.kill();
      kills++;
      service.start();
    }
    await publisher;
    const drainStart = Date.now();
    const delivered = () => new Set(receiver.requests.filter((r) => receiver.accepted.has(r.id)).map((r) => Alert.parse(JSON.parse(r.body)).story.title));
    await until(async () => expected.every((t) => delivered().has(t)) && (await pipelineIdle(queues)), DRAIN_LIMIT, "the drain").catch(() => {});
    const drainMs = Date.now() - drainStart;

    const idsByStory = new Map<string, Set<string>>();
    for (const r of receiver.requests) {
      const id = Alert.parse(JSON.parse(r.body)).story.id;
      idsByStory.set(id, (idsByStory.get(id) ?? new Set()).add(r.id));
    }
    const failed: Record<string, number> = {};
    const failedReasons: string[] = [];
    for (const stage of STAGES) {
      failed[stage] = await queues[stage].getFailedCount();
      for (const job of await queues[stage].getFailed(0, 2)) failedReasons.push(`${stage} ${job.id}: ${job.failedReason}`);
    }
    const got = delivered();
    return {
      expected: expected.length,
      delivered: expected.filter((t) => got.has(t)).length,
      lost: expected.filter((t) => !got.has(t)).length,
      failed,
      failedReasons,
      twoIds: [...idsByStory.values()].filter((ids) => ids.size > 1).length,
      repeats: receiver.duplicates,
      inFlightAtKills,
      kills,
      drainMs,
    };
  } finally {
    await service.stop();
    await closeQueues(queues);
    redis.disconnect();
    await receiver.close();
    feeds.server.closeAllConnections();
    feeds.server.close();
    await dropPrefix(opts.redisUrl, prefix);
  }
}

/** One story, a receiver that takes 10 s, two kills during the POST: the third process delivers it. */
export async function directedTwoKills(command: ServiceCommand, redisUrl: string, logFile: string): Promise<string> {
  const prefix = `nwcrash-directed-${randomUUID().slice(0, 8)}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), "nw-crash-directed-"));
  const item = story(0);
  const published: SyntheticItem[] = [];
  let polls = 0;
  const feed = await listen((_req, res) => {
    polls++;
    res.writeHead(200, { "content-type": "application/rss+xml" }).end(rssDocument("Directed", published));
  });
  let kills = 0;
  const receiver = await startWebhookReceiver({ secret: SECRET, onRequest: async () => void (await sleep(10_000)) });
  const configFile = writeConfig(dir, redisUrl, prefix, [`${feed.url}/feed`], receiver.url, "20s");
  const service = supervisor(command, configFile, logFile);
  const redis = createRedis(redisUrl);
  const queues = createQueues(redis, prefix);
  try {
    service.start();
    await until(async () => polls >= 2, 60_000, "two polls");
    published.push(item);
    const started = Date.now();
    for (const call of [1, 2]) {
      await until(async () => receiver.requests.length >= call, 60_000, `POST ${call}`);
      await sleep(1_000);
      await service.kill();
      kills++;
      service.start();
    }
    // The receiver takes the killed POSTs too (it never learns the sender died); the job's state says whether the sender got through.
    const state = async () => (await queues.alert.getJobs(["completed", "failed"]))[0]?.finishedOn ?? 0;
    await until(async () => (await state()) > 0, 90_000, "the delivery").catch(() => {});
    const [job] = await queues.alert.getJobs(["completed", "failed", "active", "waiting", "delayed"]);
    const final = job ? await job.getState() : "missing";
    const tries = job?.id ? (await readAttempts(queues.alert, job.id)).map((t) => (t.ok ? "ok" : /stopped/.test(t.detail) ? "stopped" : "failed")) : [];
    const ok = final === "completed" && receiver.accepted.size === 1;
    return (
      `directed two-kill case: ${ok ? "delivered" : "NOT delivered"} ${((Date.now() - started) / 1000).toFixed(1)} s after publishing; ` +
      `${kills} kills during the POST, ${receiver.requests.length} POSTs of one webhook-id, job ${final}, tries ${tries.join(", ")}`
    );
  } finally {
    await service.stop();
    await closeQueues(queues);
    redis.disconnect();
    await receiver.close();
    feed.server.closeAllConnections();
    feed.server.close();
    await dropPrefix(redisUrl, prefix);
  }
}

export function formatTrial(run: number, seconds: number, seed: number, r: TrialResult): string[] {
  const failed = Object.entries(r.failed).map(([s, n]) => `${s} ${n}`).join(", ");
  return [
    `run ${run} (${seconds} s, seed ${seed}, ${r.kills} kills, drain ${(r.drainMs / 1000).toFixed(1)} s):`,
    `  alerts expected ${r.expected}, delivered ${r.delivered}, lost ${r.lost}`,
    `  jobs failed: ${failed}${r.failedReasons.length ? `\n    ${r.failedReasons.join("\n    ")}` : ""}`,
    `  stories under two webhook-ids ${r.twoIds}; repeats with the same webhook-id ${r.repeats}, deliveries in flight at kills ${r.inFlightAtKills}`,
  ];
}

export const targetsMet = (r: TrialResult) =>
  r.lost === 0 && Object.values(r.failed).every((n) => n === 0) && r.twoIds === 0 && r.repeats <= r.inFlightAtKills;

async function withRedis<T>(fallbackUrl: string, use: (url: string) => Promise<T>): Promise<T> {
  if (!HAS_REDIS_SERVER) return use(fallbackUrl);
  const own: OwnRedis = await ownRedisServer();
  try {
    return await use(own.url);
  } finally {
    await own.stop();
  }
}

/** `npm run bench -- --only crashloop`: one run, without the directed case. */
export async function runCrashLoopBench(opts: BenchOptions): Promise<string[]> {
  const seconds = opts.quick ? 30 : 60;
  const logFile = path.join(mkdtempSync(path.join(os.tmpdir(), "nw-crash-loop-")), "service.log");
  return withRedis(opts.redisUrl, async (redisUrl) => {
    const result = await crashLoopTrial({ command: buildService(), redisUrl, seconds, feeds: 20, seed: 1 }, logFile);
    return [`crashloop: SIGKILL every 3–6 s for ${seconds} s, 20 feeds, 30 % 500s (service log: ${logFile})`, ...formatTrial(1, seconds, 1, result)];
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "3" },
      seconds: { type: "string", default: "120" },
      feeds: { type: "string", default: "20" },
      "no-directed": { type: "boolean" },
      tsx: { type: "boolean" },
    },
  });
  const command = values.tsx ? TSX_COMMAND : buildService();
  const runs = Number(values.runs);
  const seconds = Number(values.seconds);
  const feeds = Number(values.feeds);
  const logDir = mkdtempSync(path.join(os.tmpdir(), "nw-crash-loop-logs-"));
  console.log(`crash loop: ${runs} run(s) of ${seconds} s, ${feeds} feeds; service logs in ${logDir}`);
  let ok = true;
  await withRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", async (redisUrl) => {
    for (let run = 1; run <= runs; run++) {
      const seed = run;
      const result = await crashLoopTrial({ command, redisUrl, seconds, feeds, seed }, path.join(logDir, `run-${run}.log`));
      for (const line of formatTrial(run, seconds, seed, result)) console.log(line);
      ok &&= targetsMet(result);
    }
    if (!values["no-directed"]) {
      const line = await directedTwoKills(command, redisUrl, path.join(logDir, "directed.log"));
      console.log(line);
      ok &&= line.includes(": delivered");
    }
  });
  console.log(ok ? "targets met" : "TARGETS MISSED");
  return ok ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) process.exit(await main());
