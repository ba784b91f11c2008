/** Which factory builds which stage. */
import type { QueueName } from "../queues/names.js";
import { createClassifyStage } from "./classify-stories.js";
import { createDedupeStage } from "./dedupe-story.js";
import { createPollStage } from "./poll-feed.js";
import { createAlertStage } from "./send-alert.js";
import type { StageFactory } from "./stage.js";

export const STAGE_FACTORIES: { [Q in QueueName]: StageFactory<Q> } = {
  poll: createPollStage,
  classify: createClassifyStage,
  dedupe: createDedupeStage,
  alert: createAlertStage,
};
