/**
 * The dedupe stage: fingerprint the classified story, decide its verdict
 * against Redis (atomically, once per story), then send the alert the
 * verdict calls for. Safe to run twice: a re-run gets the recorded verdict
 * and re-adds the same alert jobs, whose ids make the repeat a no-op.
 */
import { enqueueAlerts } from "../alerts/enqueue.js";
import { alertKind, dedupeOptions, dedupeStory } from "../dedupe/dedupe.js";
import { buildVocabulary, fingerprint } from "../dedupe/fingerprint.js";
import { RedisDedupeStore } from "../dedupe/redis-store.js";
import { memberOf, storyInput } from "../dedupe/story.js";
import type { Alert } from "../queues/payloads.js";
import { loadReferenceSeeds } from "../reference/seeds.js";
import type { StageFactory } from "./stage.js";

export const createDedupeStage: StageFactory<"dedupe"> = (ctx) => {
  const { config } = ctx;
  const vocab = buildVocabulary(config.topics);
  const deps = {
    store: new RedisDedupeStore(ctx.redis, config.redis.prefix),
    references: loadReferenceSeeds(config, vocab),
    options: dedupeOptions(config.dedupe),
  };
  return {
    queue: "dedupe",
    concurrency: 4,
    async process({ story, classification }, _job, log) {
      const record = await dedupeStory(fingerprint(storyInput(story, classification), vocab), memberOf(story), deps);
      const kind = alertKind(record, config.dedupe);
      const { verdict, cluster } = record.dedupe;
      if (!kind) {
        log.debug({ story: story.id, verdict, cluster }, "dedupe: no alert");
        return record.dedupe;
      }
      const { id, title, link, source, published, description } = story;
      const alert: Alert = { version: 1, kind, story: { id, title, link, source, published, description }, classification, dedupe: record.dedupe };
      const channels = await enqueueAlerts(ctx, alert);
      log.info({ story: story.id, verdict, cluster, kind, channels }, "dedupe: alert enqueued");
      return record.dedupe;
    },
  };
};
