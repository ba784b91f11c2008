/**
 * A pool of worker threads (piscina) for the CPU-heavy pure steps, so that one
 * hostile item cannot stall the event loop every stage shares: BullMQ lock
 * renewal, /healthz and every other feed keep their pace. Each task has a time
 * budget; a task over budget has its thread terminated and fails with an error
 * that names it, and the pool starts a fresh thread.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import type { TopicSection } from "../config/sections/topics.js";
import { runCpuTask, type CpuResults, type CpuTask } from "./tasks.js";

export class TaskBudgetError extends Error {
  constructor(what: string, budgetMs: number) {
    super(`offload: ${what} took longer than its ${budgetMs} ms budget; stopped`);
    this.name = this.constructor.name;
  }
}

export interface CpuPoolOptions {
  topics: readonly TopicSection[];
  /** Threads at most. @defaultValue 2 */
  threads?: number;
  /** Time a task may take before its thread is stopped. @defaultValue 10_000 */
  budgetMs?: number;
  /** Heap of one thread in MB; a task that needs more fails. @defaultValue 512 */
  memoryMb?: number;
}

export interface CpuPool {
  /** Runs a task; `what` names it in the error when it overruns its budget. */
  run<T extends CpuTask>(task: T, what: string): Promise<CpuResults[T["kind"]]>;
  /** Starts every thread and loads its code, so the first real task is not the one that waits for it. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

const here = fileURLToPath(import.meta.url);
// Run from source (tsx, vitest) the worker is TypeScript too and needs tsx's loader.
const fromSource = here.endsWith(".ts");

export function createCpuPool(options: CpuPoolOptions): CpuPool {
  const budgetMs = options.budgetMs ?? 10_000;
  const threads = options.threads ?? 2;
  const pool = new Piscina({
    filename: path.join(path.dirname(here), fromSource ? "worker.ts" : "worker.js"),
    execArgv: fromSource ? ["--import", "tsx"] : [],
    workerData: { topics: options.topics },
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
    resourceLimits: { maxOldGenerationSizeMb: options.memoryMb ?? 512 },
  });
  return {
    async run<T extends CpuTask>(task: T, what: string) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), budgetMs);
      try {
        return (await pool.run(task, { signal: controller.signal })) as CpuResults[T["kind"]];
      } catch (err) {
        if (controller.signal.aborted) throw new TaskBudgetError(what, budgetMs);
        throw err;
      } finally {
        clearTimeout(timer);
      }
    },
    async warm() {
      // Loading a thread's modules (the NER model above all) takes a while; a task per thread waits for all of them.
      const nothing: CpuTask = { kind: "classify", stories: [{ title: "", description: "" }] };
      await Promise.all(Array.from({ length: threads }, () => pool.run(nothing)));
    },
    close: () => pool.destroy(),
  };
}

/** The same tasks run on the calling thread, without a budget: for the CLI and tests. */
export function createInlineCpu(topics: readonly TopicSection[]): CpuPool {
  return {
    run: async <T extends CpuTask>(task: T) => runCpuTask(task, topics),
    warm: async () => {},
    close: async () => {},
  };
}
