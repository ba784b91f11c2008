/** The CPU pool: worker threads give the same answers as this thread, and a task over budget is stopped. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import type { TopicSection } from "../../src/config/sections/topics.js";
import { createCpuPool, createInlineCpu, TaskBudgetError, type CpuPool } from "../../src/offload/pool.js";
import { DEFAULT_CONFIG_PATH } from "../../src/paths.js";

const stories = [
  { title: "Chinese frigates join Iranian navy for drills off Chabahar", description: "The ships will stay four days." },
  { title: "Wheat prices fall in Europe", description: "" },
];

let topics: TopicSection[];
let pool: CpuPool;
beforeAll(() => {
  topics = loadConfig(DEFAULT_CONFIG_PATH, {}).config.topics;
  pool = createCpuPool({ topics, threads: 1, budgetMs: 20_000 });
});
afterAll(() => pool.close());

describe("CPU pool", () => {
  it("classifies on a worker thread exactly as on this thread", async () => {
    const there = await pool.run({ kind: "classify", stories }, "test batch");
    const here = await createInlineCpu(topics).run({ kind: "classify", stories }, "test batch");
    expect(there).toEqual(here);
    expect(there.map((c) => c.relevant)).toEqual([true, false]);
  }, 30_000);

  it("stops a task that overruns its budget and names it, while other pools go on", async () => {
    const strict = createCpuPool({ topics, threads: 1, budgetMs: 1 });
    try {
      await expect(strict.run({ kind: "classify", stories }, "classifying 2 stories of https://feed.example/rss")).rejects.toThrow(
        new TaskBudgetError("classifying 2 stories of https://feed.example/rss", 1),
      );
    } finally {
      await strict.close();
    }
    const after = await pool.run({ kind: "classify", stories: stories.slice(0, 1) }, "after");
    expect(after[0]?.relevant).toBe(true);
  }, 30_000);
});
