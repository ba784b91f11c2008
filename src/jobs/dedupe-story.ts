/**
 * The dedupe stage: fingerprint the classified story, decide its verdict
 * against Redis (atomically, once per story), then send the alert the
 * verdict calls for. Safe to run twice: a re-run gets the recorded verdict
 * and re-adds the same alert jobs, whose ids make the repeat a no-op.
 */
import { alertOf } from "../alerts/alert-of.js";
import { enqueueAlerts } from "../alerts/enqueue.js";
import { createArchiveWriter } from "../archive/writer.js";
import { alertKind, dedupeOptions, dedupeStory } from "../dedupe/dedupe.js";
import { buildVocabulary, fingerprint } from "../dedupe/fingerprint.js";
import { RedisDedupeStore } from "../dedupe/redis-store.js";
import { memberOf, storyInput } from "../dedupe/story.js";
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
  const archive = createArchiveWriter(ctx);
  return {
    queue: "dedupe",
    concurrency: 4,
    async process({ story, classification }, _job, log) {
      const record = await dedupeStory(fingerprint(storyInput(story, classification), vocab), memberOf(story), deps);
      const kind = alertKind(record, config.dedupe);
      const { verdict, cluster } = record.dedupe;
      // Every verdict at info: "why did this story (not) alert?" is answered from the log alone.
      const said = { story: story.id, title: story.title, verdict, cluster, of: record.dedupe.of };
      if (!kind) {
        await archive.recordDeduped(story.id, classification, record.dedupe, null);
        log.info(said, `dedupe: ${verdict}, no alert`);
        return record.dedupe;
      }
      const alert = alertOf(kind, story, classification, record.dedupe);
      const channels = await enqueueAlerts(ctx, alert);
      await archive.recordDeduped(story.id, classification, record.dedupe, { alert, channels });
      log.info({ ...said, kind, channels }, `dedupe: ${verdict}, ${kind} alert enqueued`);
      return record.dedupe;
    },
  };
};
