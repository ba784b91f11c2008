/**
 * What the CPU pool's worker threads are asked to do and what they answer,
 * and the one function that does it: the worker threads and the in-process
 * runner (CLI, tests) share it, so both give the same answers.
 */
import { classifyStory } from "../classify/classify.js";
import type { TopicSection } from "../config/sections/topics.js";
import type { Classification, Story } from "../queues/payloads.js";

export type CpuTask = { kind: "classify"; stories: Pick<Story, "title" | "description">[] };
export type CpuResult = { kind: "classify"; classifications: Classification[] };

export function runCpuTask(task: CpuTask, topics: readonly TopicSection[]): CpuResult {
  switch (task.kind) {
    case "classify":
      return { kind: "classify", classifications: task.stories.map((s) => classifyStory(s, topics)) };
  }
}
