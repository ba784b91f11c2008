/**
 * The dedupe stage: fingerprint the classified story, decide its verdict
 * against the store (atomically, once per story), then send the alert the
 * verdict calls for. Safe to run twice: a re-run gets the recorded verdict
 * and re-adds the same alert jobs, whose ids make the repeat a no-op.
 */
import { alertOf } from "../alerts/alert-of.js";
import { enqueueAlerts } from "../alerts/enqueue.js";
import { createArchiveWriter, type ArchiveWriter } from "../archive/writer.js";
import type { DedupeSection } from "../config/sections/dedupe.js";
import { alertKind, dedupeOptions, dedupeStory, type DedupeDeps } from "../dedupe/dedupe.js";
import { buildVocabulary, fingerprint, type Vocabulary } from "../dedupe/fingerprint.js";
import { RedisDedupeStore } from "../dedupe/redis-store.js";
import { memberOf, storyInput } from "../dedupe/story.js";
import type { Logger } from "../logger.js";
import type { Alert, Dedupe } from "../model/index.js";
import type { DedupeJob } from "../queues/payloads.js";
import { loadReferenceSeeds } from "../dedupe/reference-seeds.js";
import type { StageFactory } from "./stage.js";

export interface DedupeStageDeps {
  dedupe: DedupeDeps;
  vocab: Vocabulary;
  /** The config's `dedupe` section: which verdicts alert. */
  section: DedupeSection;
  /** Adds one alert job per channel that wants the alert; resolves with those channels. */
  enqueueAlerts(alert: Alert): Promise<string[]>;
  archive: Pick<ArchiveWriter, "recordDeduped">;
  log: Logger;
}

export async function dedupeClassified({ story, classification }: DedupeJob, deps: DedupeStageDeps): Promise<Dedupe> {
  const { log, archive } = deps;
  const record = await dedupeStory(fingerprint(storyInput(story, classification), deps.vocab), memberOf(story), deps.dedupe);
  const kind = alertKind(record, deps.section);
  const { verdict, cluster } = record.dedupe;
  // Every verdict at info: "why did this story (not) alert?" is answered from the log alone.
  const said = { story: story.id, title: story.title, verdict, cluster, of: record.dedupe.of };
  if (!kind) {
    await archive.recordDeduped(story.id, classification, record.dedupe, null);
    log.info(said, `dedupe: ${verdict}, no alert`);
    return record.dedupe;
  }
  const alert = alertOf(kind, story, classification, record.dedupe);
  const channels = await deps.enqueueAlerts(alert);
  await archive.recordDeduped(story.id, classification, record.dedupe, { alert, channels });
  log.info({ ...said, kind, channels }, `dedupe: ${verdict}, ${kind} alert enqueued`);
  return record.dedupe;
}

export const createDedupeStage: StageFactory<"dedupe"> = (ctx) => {
  const { config } = ctx;
  const vocab = buildVocabulary(config.topics);
  const dedupe: DedupeDeps = {
    store: new RedisDedupeStore(ctx.redis, config.redis.prefix),
    references: loadReferenceSeeds(config, vocab),
    options: dedupeOptions(config.dedupe),
  };
  const archive = createArchiveWriter(ctx);
  return {
    queue: "dedupe",
    concurrency: config.stages.dedupe.concurrency,
    run: (data, { log }) =>
      dedupeClassified(data, { dedupe, vocab, section: config.dedupe, enqueueAlerts: (alert) => enqueueAlerts(ctx, alert), archive, log }),
  };
};
