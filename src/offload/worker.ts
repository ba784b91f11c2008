/**
 * A worker thread of the CPU pool (pool.ts). The topics arrive once, as
 * workerData; each task is run by the same function as in-process.
 */
import { workerData } from "node:worker_threads";
import type { TopicSection } from "../config/sections/topics.js";
import { runCpuTask, type CpuResults, type CpuTask } from "./tasks.js";

const topics = (workerData as { topics: TopicSection[] }).topics;

export default function run(task: CpuTask): CpuResults[CpuTask["kind"]] {
  return runCpuTask(task, topics);
}
