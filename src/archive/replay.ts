/**
 * A dry run over the archive: each archived story through classify and, when
 * relevant, dedupe, as a given config would judge them, with the service's own
 * functions on an in-memory store (DESIGN.md §2), and the alert each would
 * send beside the alert the service sent. Stories must come in the order they
 * arrived, as dedupe saw them.
 */
import { alertOf } from "../alerts/alert-of.js";
import { alertChannels, channelWants } from "../alerts/channels.js";
import { classifyStory } from "../classify/classify.js";
import type { Config } from "../config/schema.js";
import { alertKind } from "../dedupe/dedupe.js";
import { createStoryDeduper } from "../dedupe/offline.js";
import type { Classification, Dedupe } from "../model/index.js";
import type { DedupedRecord } from "./decisions.js";
import type { AlertKind } from "./diff.js";
import type { ArchivedItem } from "./record.js";

export interface ReplayVerdict {
  item: ArchivedItem;
  classification: Classification;
  /** Null for a story that is not relevant (dedupe never sees it). */
  dedupe: Dedupe | null;
  /** The alert this config would send, if any channel wants it. */
  would: AlertKind | null;
  /** The alert the service sent (to at least one channel), from the recorded decisions. */
  was: AlertKind | null;
}

/** What the service sent for a story, as far as `topic` (when given) is concerned. */
export function sentAlert(record: DedupedRecord | undefined, topic?: string): AlertKind | null {
  if (!record || record.kind === null || record.alerts.length === 0) return null;
  if (topic !== undefined && !record.topics.includes(topic)) return null;
  return record.kind;
}

/**
 * Judges archived items one at a time with `config` (only `topic` of its
 * topics, when given); `recorded` holds the dedupe records the service wrote.
 */
export function createReplayer(config: Config, recorded: ReadonlyMap<string, DedupedRecord>, topic?: string): (item: ArchivedItem) => Promise<ReplayVerdict> {
  const topics = topic === undefined ? config.topics : config.topics.filter((t) => t.id === topic);
  const dedupe = createStoryDeduper({ ...config, topics });
  const channels = alertChannels(config);
  return async (item) => {
    const { story } = item;
    const classification = classifyStory(story, topics);
    const was = sentAlert(recorded.get(story.id), topic);
    if (!classification.relevant) return { item, classification, dedupe: null, would: null, was };
    const record = await dedupe(story, classification);
    const kind = alertKind(record, config.dedupe);
    const alert = kind && alertOf(kind, story, classification, record.dedupe);
    const would = alert && channels.some((c) => channelWants(c.filter, alert)) ? alert.kind : null;
    return { item, classification, dedupe: record.dedupe, would, was };
  };
}
