import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { createDedupeStage } from "../../src/jobs/dedupe-story.js";
import { createLogger } from "../../src/logger.js";
import type { Redis } from "../../src/queues/connection.js";
import { closeQueues, createQueues, type Queues } from "../../src/queues/factory.js";
import type { Classification, Story } from "../../src/model/index.js";
import { DEFAULT_CONFIG_PATH } from "../../src/paths.js";
import { connect, dropPrefix, testPrefix } from "../helpers/redis.js";
import { testHelpers } from "../helpers/job-helpers.js";

const log = createLogger({ level: "silent", pretty: false });

function story(id: string, title: string, source: string): Story {
  const description = "Admiral Ada Brenner brought three frigates into the port of Kessel for a week of joint training.";
  return { id, feedUrl: "", source, title, description, link: null, published: "2031-06-01T09:00:00.000Z", author: null, categories: [], enclosures: [], truncated: [] };
}
const classification: Classification = {
  relevant: true,
  score: 0.9,
  topics: ["iran-china-defense"],
  entities: [{ name: "Ada Brenner", type: "person" }, { name: "Kessel", type: "place" }],
  reasons: [],
  evidence: null,
  relation: null,
};

describe("dedupe stage", () => {
  let redis: Redis;
  let queues: Queues;
  const prefix = testPrefix("ddstage");
  const logPrefix = testPrefix("ddlog");

  beforeAll(() => {
    redis = connect();
    queues = createQueues(redis, prefix);
  });
  afterAll(async () => {
    await closeQueues(queues);
    await dropPrefix(redis, prefix);
    await dropPrefix(redis, logPrefix);
    await redis.quit();
  });

  it("alerts a new event once, however often its job runs, and not its copies", async () => {
    const { config } = loadConfig(DEFAULT_CONFIG_PATH, {});
    config.redis.prefix = prefix;
    const stage = await createDedupeStage({ config, redis, queues, log, clock: { now: () => Date.now() } });
    const first = story("a".repeat(32), "Frigates arrive in Kessel for joint training", "Wire A");
    const copy = story("b".repeat(32), "Frigates arrive in Kessel for joint training, navy says", "Paper B");
    await stage.run({ story: first, classification }, testHelpers(log));
    await stage.run({ story: first, classification }, testHelpers(log));
    await stage.run({ story: copy, classification }, testHelpers(log));
    const again = await stage.run({ story: copy, classification }, testHelpers(log));
    expect(again).toMatchObject({ verdict: "duplicate", of: first.id, cluster: first.id, alsoReportedBy: ["Wire A"] });
    const jobs = await queues.alert.getJobs(["waiting", "delayed", "prioritized"]);
    expect(jobs.map((j) => (j.data as { alert: { story: { id: string }; kind: string } }).alert)).toEqual([
      expect.objectContaining({ kind: "new", story: expect.objectContaining({ id: first.id }) }),
    ]);
  });

  it("logs every verdict at info with the story's id, title, verdict and cluster", async () => {
    const { config } = loadConfig(DEFAULT_CONFIG_PATH, {});
    config.redis.prefix = logPrefix;
    const lines: Record<string, unknown>[] = [];
    const infoLog = createLogger({ level: "info", destination: { write: (s: string) => lines.push(JSON.parse(s) as Record<string, unknown>) } });
    const stage = await createDedupeStage({ config, redis, queues, log: infoLog, clock: { now: () => Date.now() } });
    const first = story("c".repeat(32), "Submarine visits Kessel on a goodwill tour", "Wire A");
    const copy = story("d".repeat(32), "Submarine visits Kessel on a goodwill tour, navy says", "Paper B");
    await stage.run({ story: first, classification }, testHelpers(infoLog));
    await stage.run({ story: copy, classification }, testHelpers(infoLog));
    expect(lines.map((l) => [l.level, l.msg, l.story, l.title, l.verdict, l.cluster])).toEqual([
      [30, "dedupe: new, new alert enqueued", first.id, first.title, "new", first.id],
      [30, "dedupe: duplicate, no alert", copy.id, copy.title, "duplicate", first.id],
    ]);
  });
});
