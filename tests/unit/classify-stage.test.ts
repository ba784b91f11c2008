/** The classify stage against real Redis and BullMQ: relevant stories become dedupe jobs, once. */
import type { Job } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { createClassifyStage } from "../../src/jobs/classify-stories.js";
import type { StageContext } from "../../src/jobs/stage.js";
import { createLogger } from "../../src/logger.js";
import { DEFAULT_CONFIG_PATH } from "../../src/paths.js";
import { closeQueues, createQueues, type Queues } from "../../src/queues/factory.js";
import type { Redis } from "../../src/queues/connection.js";
import type { Story } from "../../src/model/index.js";
import { connect, dropPrefix, testPrefix } from "../helpers/redis.js";

const story = (id: string, title: string): Story => ({
  id: id.repeat(16),
  feedUrl: "http://127.0.0.1/feed",
  source: "Test Wire",
  title,
  description: "",
 
  link: null,
  published: "2024-01-01T00:00:00.000Z",
  author: null,
  categories: [],
  enclosures: [],
  truncated: [],
});

describe("classify stage", () => {
  let redis: Redis;
  let queues: Queues;
  let ctx: StageContext;
  const prefix = testPrefix("classify");

  beforeAll(() => {
    redis = connect();
    queues = createQueues(redis, prefix);
    const { config, file } = loadConfig(DEFAULT_CONFIG_PATH, {});
    ctx = { config, configFile: file, redis, queues, log: createLogger({ level: "silent", pretty: false }), clock: { now: () => 0 } };
  });

  afterAll(async () => {
    await closeQueues(queues);
    await dropPrefix(redis, prefix);
    await redis.quit();
  });

  it("enqueues only relevant stories, by story id, and a retry adds nothing", async () => {
    const stage = await createClassifyStage(ctx);
    const data = {
      feedUrl: "http://127.0.0.1/feed",
      stories: [story("a", "Chinese destroyers dock in Iran for joint naval drill"), story("b", "Iran and China discuss oil trade")],
    };
    const job = {} as Job;
    const first = await stage.process(data, job, ctx.log);
    expect(first).toEqual({ feedUrl: data.feedUrl, classified: 2, relevant: 1, overBudget: 0 });
    await stage.process(data, job, ctx.log);
    const jobs = await queues.dedupe.getJobs(["waiting", "delayed", "prioritized"]);
    expect(jobs.map((j) => j.id)).toEqual(["a".repeat(16)]);
    expect(jobs[0]?.data.classification.relation).toBe("joint-exercise");
  });
});
