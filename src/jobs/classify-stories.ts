/**
 * The classify stage: classifies the new stories of one poll and sends each
 * relevant one to dedupe in one round trip. Classification is pure, so a
 * retried job classifies the same way, and the dedupe job id (the story id)
 * makes a repeated enqueue a no-op (DESIGN.md §1). Irrelevant stories stop here.
 */
import { classifyStory } from "../classify/classify.js";
import { enqueueBulk } from "../queues/factory.js";
import type { StageFactory } from "./stage.js";

export interface ClassifyResult {
  feedUrl: string;
  classified: number;
  relevant: number;
}

export const createClassifyStage: StageFactory<"classify"> = (ctx) => {
  const topics = ctx.config.topics;
  return {
    queue: "classify",
    async process(data, _job, log): Promise<ClassifyResult> {
      const relevant = [];
      for (const story of data.stories) {
        const classification = classifyStory(story, topics);
        if (!classification.relevant) {
          log.debug({ story: story.id, title: story.title, score: classification.score }, "not on topic");
          continue;
        }
        log.info({ story: story.id, title: story.title, score: classification.score, topics: classification.topics }, "on topic");
        relevant.push({ jobId: story.id, data: { story, classification } });
      }
      await enqueueBulk(ctx.queues, "dedupe", relevant);
      return { feedUrl: data.feedUrl, classified: data.stories.length, relevant: relevant.length };
    },
  };
};
