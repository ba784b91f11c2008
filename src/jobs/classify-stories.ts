/**
 * The classify stage: classifies the new stories of one poll and sends each
 * relevant one to dedupe in one round trip. Classification is pure, so a
 * retried job classifies the same way, and the dedupe job id (the story id)
 * makes a repeated enqueue a no-op (DESIGN.md §1). Irrelevant stories stop here.
 *
 * The work runs on the CPU pool (offload/pool.ts): a batch that overruns its
 * time budget is classified again one story at a time, so that only the story
 * that cannot be judged in time is set aside (logged with its id and feed),
 * and the rest of the poll goes on.
 */
import { createArchiveWriter, type ArchiveWriter } from "../archive/writer.js";
import type { Logger } from "../logger.js";
import type { Classification, Story } from "../model/index.js";
import { createInlineCpu, TaskBudgetError, type CpuPool } from "../offload/pool.js";
import { enqueueBulk, jobOptions } from "../queues/factory.js";
import type { ClassifyJob, DedupeJob } from "../queues/payloads.js";
import type { StageFactory } from "./stage.js";

export interface ClassifyResult {
  feedUrl: string;
  classified: number;
  relevant: number;
  /** Stories set aside because judging them overran the time budget. */
  overBudget: number;
}

async function classifyAll(cpu: CpuPool, stories: readonly Story[], feedUrl: string, log: Logger): Promise<(Classification | null)[]> {
  const texts = (list: readonly Story[]) => list.map((s) => ({ title: s.title, description: s.description }));
  try {
    return await cpu.run({ kind: "classify", stories: texts(stories) }, `classifying ${stories.length} stories of ${feedUrl}`);
  } catch (err) {
    if (!(err instanceof TaskBudgetError) || stories.length === 1) throw err;
  }
  const out: (Classification | null)[] = [];
  for (const story of stories) {
    try {
      out.push((await cpu.run({ kind: "classify", stories: texts([story]) }, `classifying story ${story.id} of ${feedUrl}`))[0] ?? null);
    } catch (err) {
      if (!(err instanceof TaskBudgetError)) throw err;
      log.error({ story: story.id, feedUrl, title: story.title.slice(0, 200) }, err.message);
      out.push(null);
    }
  }
  return out;
}

/** Adds the dedupe jobs of one poll's relevant stories in one round trip; ids are story ids, so a repeat is a no-op. */
export type EnqueueDedupe = (jobs: { jobId: string; data: DedupeJob }[]) => Promise<void>;

export interface ClassifyDeps {
  cpu: CpuPool;
  enqueueDedupe: EnqueueDedupe;
  archive: Pick<ArchiveWriter, "recordClassified">;
  log: Logger;
}

export async function classifyStories(data: ClassifyJob, deps: ClassifyDeps): Promise<ClassifyResult> {
  const { log } = deps;
  const relevant: { jobId: string; data: DedupeJob }[] = [];
  const classifications = await classifyAll(deps.cpu, data.stories, data.feedUrl, log);
  data.stories.forEach((story, i) => {
    const classification = classifications[i];
    if (!classification) return;
    if (!classification.relevant) {
      log.debug({ story: story.id, title: story.title, score: classification.score }, "not on topic");
      return;
    }
    log.info({ story: story.id, title: story.title, score: classification.score, topics: classification.topics }, "on topic");
    relevant.push({ jobId: story.id, data: { story, classification } });
  });
  await deps.enqueueDedupe(relevant);
  await deps.archive.recordClassified(data.stories, classifications);
  const overBudget = classifications.filter((c) => c === null).length;
  return { feedUrl: data.feedUrl, classified: data.stories.length - overBudget, relevant: relevant.length, overBudget };
}

export const createClassifyStage: StageFactory<"classify"> = (ctx) => {
  const cpu = ctx.cpu ?? createInlineCpu(ctx.config.topics);
  const archive = createArchiveWriter(ctx);
  const options = jobOptions(ctx.config.stages);
  const enqueueDedupe: EnqueueDedupe = (jobs) => enqueueBulk(ctx.queues, "dedupe", jobs.map((j) => ({ ...j, options })));
  return {
    queue: "classify",
    concurrency: ctx.config.stages.classify.concurrency,
    run: (data, { log }) => classifyStories(data, { cpu, enqueueDedupe, archive, log }),
  };
};
