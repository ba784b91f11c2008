/** The classify stage with its effects in memory: relevant stories become dedupe jobs, once. */
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { classifyStories, type EnqueueDedupe } from "../../src/jobs/classify-stories.js";
import { createLogger } from "../../src/logger.js";
import type { Story } from "../../src/model/index.js";
import { createInlineCpu } from "../../src/offload/pool.js";
import { DedupeJob } from "../../src/queues/payloads.js";
import { DEFAULT_CONFIG_PATH } from "../../src/paths.js";

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

/** A dedupe queue as BullMQ keeps it: payloads checked, and a job id that is already there is not added again. */
function memoryDedupeQueue() {
  const jobs = new Map<string, DedupeJob>();
  const enqueue: EnqueueDedupe = async (list) => {
    for (const { jobId, data } of list) if (!jobs.has(jobId)) jobs.set(jobId, DedupeJob.parse(data));
  };
  return { jobs, enqueue };
}

describe("classify stage", () => {
  const { config } = loadConfig(DEFAULT_CONFIG_PATH, {});
  const log = createLogger({ level: "silent", pretty: false });
  const cpu = createInlineCpu(config.topics);

  it("enqueues only relevant stories, by story id, records every judgement, and a retry adds nothing", async () => {
    const queue = memoryDedupeQueue();
    const judged: (string | null)[][] = [];
    const archive = { recordClassified: async (stories: readonly Story[], results: readonly ({ relevant: boolean } | null)[]) => void judged.push(results.map((r, i) => (r ? `${stories[i]!.id.slice(0, 1)}:${r.relevant}` : null))) };
    const deps = { cpu, enqueueDedupe: queue.enqueue, archive, log };
    const data = {
      feedUrl: "http://127.0.0.1/feed",
      stories: [story("a", "Chinese destroyers dock in Iran for joint naval drill"), story("b", "Iran and China discuss oil trade")],
    };
    const first = await classifyStories(data, deps);
    expect(first).toEqual({ feedUrl: data.feedUrl, classified: 2, relevant: 1, overBudget: 0 });
    await classifyStories(data, deps);
    expect([...queue.jobs.keys()]).toEqual(["a".repeat(16)]);
    expect(queue.jobs.get("a".repeat(16))?.classification.relation).toBe("joint-exercise");
    expect(judged).toEqual([
      ["a:true", "b:false"],
      ["a:true", "b:false"],
    ]);
  });
});
