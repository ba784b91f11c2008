/**
 * `newswatch jobs failed|retry`: failed jobs of every stage, each with what
 * it was about (a feed with its credentials blanked, a batch's titles, a
 * story), listed and sent back to their queues with fresh attempts.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import type { Stage, StageContext } from "../../src/jobs/stage.js";
import { createLogger } from "../../src/logger.js";
import { closeQueues, createQueues, enqueue } from "../../src/queues/factory.js";
import type { QueueName } from "../../src/queues/names.js";
import type { Classification, Story } from "../../src/model/index.js";
import type { FailedJob } from "../../src/queues/failed-jobs.js";
import { startStageWorker } from "../../src/service/stage-worker.js";
import { runCli } from "../helpers/cli.js";
import { testStory } from "../helpers/story.js";
import { waitFor } from "../helpers/wait-for.js";
import { connect, dropPrefix, redisUrl, testPrefix } from "../helpers/redis.js";

const cli = (argv: string[]) => runCli(argv, { env: { REDIS_URL: redisUrl() } });

const story = (n: number): Story => testStory({ id: String(n).repeat(32).slice(0, 32), title: `Story ${n}: frigates dock at Kessel` });
const classification: Classification = { relevant: true, score: 0.9, topics: ["t"], entities: [], reasons: [], evidence: null, relation: null };
const IDS = { poll: "poll-job", classify: "classify-job", dedupe: "dedupe-job" } as const;

describe("newswatch jobs failed / jobs retry", () => {
  const prefix = testPrefix("jobs-cli");
  let dir: string;
  let file: string;
  let ctx: StageContext;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "nw-jobs-cli-"));
    file = path.join(dir, "config.yaml");
    await writeFile(file, `redis: { prefix: ${prefix} }\n`);
    const redis = connect();
    const { config } = loadConfig(file, { REDIS_URL: redisUrl() });
    ctx = { config, redis, queues: createQueues(redis, prefix), log: createLogger({ level: "silent", pretty: false }), clock: { now: () => Date.now() } };
    const once = { attempts: 1 };
    await enqueue(ctx.queues, "poll", IDS.poll, { feed: { url: "https://ann:s3cret@feeds.example/wire.xml", name: "Wire" } }, once);
    await enqueue(ctx.queues, "classify", IDS.classify, { feedUrl: "https://feeds.example/wire.xml", stories: [story(1), story(2), story(3)] }, once);
    await enqueue(ctx.queues, "dedupe", IDS.dedupe, { story: story(4), classification }, once);
    // Every stage's worker fails its job, as a bug or an outage would.
    const failing = (queue: QueueName): Stage<QueueName> => ({ queue, concurrency: 1, run: () => Promise.reject(new Error(`${queue}: it broke`)) });
    const workers = (["poll", "classify", "dedupe"] as const).map((q) => startStageWorker(failing(q), ctx));
    for (const q of ["poll", "classify", "dedupe"] as const) await waitFor(async () => (await ctx.queues[q].getFailedCount()) === 1, { timeout: 10_000, what: `a failed ${q} job` });
    await Promise.all(workers.map((w) => w.close()));
  });
  afterAll(async () => {
    await closeQueues(ctx.queues);
    await dropPrefix(ctx.redis, prefix);
    await ctx.redis.quit();
    await rm(dir, { recursive: true, force: true });
  });

  it("lists the failed jobs of every stage, with what each was about", async () => {
    const text = await cli(["jobs", "failed", "-c", file]);
    expect(text.code).toBe(0);
    expect(text.out).toContain(`${IDS.poll}  poll  Wire https://***:***@feeds.example/wire.xml`);
    expect(text.out).toContain(`${IDS.classify}  classify  https://feeds.example/wire.xml: "Story 1: frigates dock at Kessel", "Story 2: frigates dock at Kessel" and 1 more`);
    expect(text.out).toContain(`${IDS.dedupe}  dedupe  Story 4: frigates dock at Kessel (Example Wire)`);
    expect(text.out).toMatch(/ {2}failed \d{4}-\d\d-\d\dT[\d:.]+Z after 1 attempt\(s\): classify: it broke/);
    expect(text.out).not.toContain("s3cret");
    expect(text.err).toBe("3 failed jobs\n");

    const json = await cli(["jobs", "failed", "--stage", "dedupe", "--json", "-c", file]);
    const rows = json.out.trim().split("\n").map((l) => JSON.parse(l) as FailedJob);
    expect(rows).toEqual([expect.objectContaining({ id: IDS.dedupe, stage: "dedupe", reason: "dedupe: it broke", attemptsMade: 1 })]);
    expect(Date.parse(rows[0]!.failedAt!)).toBeGreaterThan(Date.now() - 60_000);

    const wrong = await cli(["jobs", "failed", "--stage", "dedup", "-c", file]);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('unknown stage "dedup" (one of poll, classify, dedupe, alert)');
  });

  it("retries by id in whichever stage holds it, or every failed job of a stage, with fresh attempts", async () => {
    expect(await cli(["jobs", "retry", IDS.classify, "-c", file])).toMatchObject({ code: 0, out: `retried classify ${IDS.classify}\n` });
    const job = (await ctx.queues.classify.getJob(IDS.classify))!;
    expect(await job.getState()).toBe("waiting");
    expect(job.attemptsMade).toBe(0);

    expect(await cli(["jobs", "retry", "--stage", "poll", "--all", "-c", file])).toMatchObject({ code: 0, out: `retried poll ${IDS.poll}\n` });
    expect(await ctx.queues.poll.getJobState(IDS.poll)).toBe("waiting");

    const missing = await cli(["jobs", "retry", "no-such-job", IDS.classify, "-c", file]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("not a failed job: no-such-job");
    expect(missing.err).toContain(`not a failed job: ${IDS.classify}`);
    expect((await cli(["jobs", "retry", "-c", file])).code).toBe(2);

    const left = await cli(["jobs", "failed", "-c", file]);
    expect(left.err).toBe("1 failed job\n");
    expect(left.out).toContain(IDS.dedupe);
  });
});
