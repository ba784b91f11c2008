/**
 * What the CPU pool's worker threads are asked to do and what they answer,
 * and the one function that does it: the worker threads and the in-process
 * runner (CLI, tests) share it, so both give the same answers.
 */
import { classifyStory } from "../classify/classify.js";
import type { TopicSection } from "../config/sections/topics.js";
import { parseStories, type ParseInput, type ParseOutcome } from "../feeds/parse/parse-stories.js";
import type { Classification, Story } from "../model/index.js";

export type CpuTask = { kind: "classify"; stories: Pick<Story, "title" | "description">[] } | { kind: "parse"; input: ParseInput };

export interface CpuResults {
  classify: Classification[];
  parse: ParseOutcome;
}

export function runCpuTask<T extends CpuTask>(task: T, topics: readonly TopicSection[]): CpuResults[T["kind"]] {
  if (task.kind === "parse") return parseStories(task.input) as CpuResults[T["kind"]];
  return task.stories.map((s) => classifyStory(s, topics)) as CpuResults[T["kind"]];
}
