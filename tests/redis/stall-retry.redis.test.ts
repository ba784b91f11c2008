/**
 * A stalled job is a crash, not a verdict: a dedupe job whose worker stops
 * twice in a row (BullMQ's default stall limit fails it for good on the
 * second) runs again and completes, each stall counted as a used attempt;
 * a job that stops its worker every time ends failed once its attempts are
 * gone, saying why. A worker "stops" here by closing without waiting for its
 * job and without renewing its lock, as a SIGKILL leaves it.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { createDedupeStage } from "../../src/jobs/dedupe-story.js";
import type { Stage, StageContext } from "../../src/jobs/stage.js";
import { createLogger } from "../../src/logger.js";
import { readAttempts } from "../../src/queues/attempts.js";
import { closeQueues, createQueues, enqueue } from "../../src/queues/factory.js";
import type { Classification, Story } from "../../src/model/index.js";
import { DEFAULT_CONFIG_PATH } from "../../src/paths.js";
import { startStageWorker, type StageWorker } from "../../src/service/stage-worker.js";
import { connect, dropPrefix, testPrefix } from "../helpers/redis.js";
import { testStory } from "../helpers/story.js";

const log = createLogger({ level: "silent", pretty: false });
// Locks that lapse in well under a second, so that each stall costs about one.
const SHORT_LOCKS = { lockDuration: 500, stalledInterval: 250 };

const story: Story = testStory({
  id: "c".repeat(32),
  description: "Admiral Ada Brenner brought three frigates into the port of Kessel for joint training.",
});
const classification: Classification = {
  relevant: true,
  score: 0.9,
  topics: ["iran-china-defense"],
  entities: [{ name: "Kessel", type: "place" }],
  reasons: [],
  evidence: null,
  relation: null,
};

describe("stalled jobs", () => {
  let prefix: string;
  let ctx: StageContext;
  const workers = new Set<StageWorker>();

  beforeEach(() => {
    prefix = testPrefix("stall");
    const { config } = loadConfig(DEFAULT_CONFIG_PATH, {});
    config.redis.prefix = prefix;
    const redis = connect();
    ctx = { config, redis, queues: createQueues(redis, prefix), log, clock: { now: () => Date.now() } };
  });
  afterEach(async () => {
    for (const w of workers) await w.close(true);
    workers.clear();
    await closeQueues(ctx.queues);
    await dropPrefix(ctx.redis, prefix);
    await ctx.redis.quit();
  });

  /** The real dedupe stage, except that its first `hangs` runs never finish and say when they started. */
  async function hangingDedupe(hangs: number, started: () => void): Promise<Stage<"dedupe">> {
    const real = await createDedupeStage(ctx);
    let runs = 0;
    return {
      ...real,
      async run(data, helpers) {
        started();
        if (++runs <= hangs) return new Promise<never>(() => {});
        return real.run(data, helpers);
      },
    };
  }

  /** Starts a worker, waits until it has taken the job, then stops it the way a crash does. */
  async function crashDuringJob(stage: Stage<"dedupe">, taken: { count: number }): Promise<void> {
    const before = taken.count;
    const running = startStageWorker(stage, ctx, SHORT_LOCKS);
    workers.add(running);
    await expect.poll(() => taken.count, { timeout: 5_000 }).toBeGreaterThan(before);
    workers.delete(running);
    await running.close(true);
  }

  it("runs a dedupe job again after two stalls, and it completes", { timeout: 20_000 }, async () => {
    const taken = { count: 0 };
    const stage = await hangingDedupe(2, () => taken.count++);
    await enqueue(ctx.queues, "dedupe", story.id, { story, classification });
    await crashDuringJob(stage, taken);
    await crashDuringJob(stage, taken);
    workers.add(startStageWorker(stage, ctx, SHORT_LOCKS));

    await expect.poll(() => ctx.queues.dedupe.getJobState(story.id), { timeout: 10_000 }).toBe("completed");
    const job = (await ctx.queues.dedupe.getJob(story.id))!;
    expect(job.attemptsMade).toBe(3);
    const tries = await readAttempts(ctx.queues.dedupe, story.id);
    expect(tries.map((t) => [t.attempt, t.ok])).toEqual([
      [1, false],
      [2, false],
    ]);
    expect(tries[0]!.detail).toMatch(/worker stopped while running it/);
    // The story went on through the pipeline: its alert job is queued.
    expect(await ctx.queues.alert.getJobCountByTypes("waiting", "prioritized", "delayed")).toBe(1);
    expect(await ctx.queues.dedupe.getFailedCount()).toBe(0);
  });

  it("a graceful close stops a run waiting on its signal, and the job runs again at once without spending a try", { timeout: 20_000 }, async () => {
    const real = await createDedupeStage(ctx);
    let runs = 0;
    const stage: Stage<"dedupe"> = {
      ...real,
      async run(data, helpers) {
        // The first run waits on the network, as a slow send does, until the shutdown stops it.
        if (++runs === 1) return new Promise<never>((_, reject) => helpers.signal.addEventListener("abort", () => reject(helpers.signal.reason as Error)));
        return real.run(data, helpers);
      },
    };
    await enqueue(ctx.queues, "dedupe", story.id, { story, classification });
    const first = startStageWorker(stage, ctx, SHORT_LOCKS);
    await expect.poll(() => runs, { timeout: 5_000 }).toBe(1);
    await first.close();
    workers.add(startStageWorker(stage, ctx, SHORT_LOCKS));
    await expect.poll(() => ctx.queues.dedupe.getJobState(story.id), { timeout: 10_000 }).toBe("completed");
    expect(runs).toBe(2);
    // BullMQ counts the completing run as made; the stopped one was not counted.
    expect((await ctx.queues.dedupe.getJob(story.id))!.attemptsMade).toBe(1);
  });

  it("fails a job that stops its worker every time once its attempts are used, saying why", { timeout: 20_000 }, async () => {
    const taken = { count: 0 };
    const stage = await hangingDedupe(Infinity, () => taken.count++);
    await enqueue(ctx.queues, "dedupe", story.id, { story, classification }, { attempts: 3 });
    for (let i = 0; i < 3; i++) await crashDuringJob(stage, taken);
    workers.add(startStageWorker(stage, ctx, SHORT_LOCKS));

    await expect.poll(() => ctx.queues.dedupe.getJobState(story.id), { timeout: 10_000 }).toBe("failed");
    const job = (await ctx.queues.dedupe.getJob(story.id))!;
    expect(job.failedReason).toMatch(/its worker stopped while running it \(crash, kill or lost lock\) 1 time, and that used its last attempt/);
    expect(job.attemptsMade).toBe(3);
    expect((await readAttempts(ctx.queues.dedupe, story.id)).map((t) => t.attempt)).toEqual([1, 2, 3]);
    // The stage never ran a fourth time.
    expect(taken.count).toBe(3);
  });
});
