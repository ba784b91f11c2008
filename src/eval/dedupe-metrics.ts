/**
 * Same-event grouping quality on labeled items: the offline deduper (the
 * service's rule on an in-memory store) over the items in stream order, then
 * pairwise precision, recall and F1 over the items' event ids, recall of the
 * reference event, and stories of other events wrongly marked known-event.
 */
import { storyFromInput, type InputItem } from "../cli/input-item.js";
import type { Config } from "../config/schema.js";
import { createOfflineDeduper } from "../dedupe/offline.js";

/** What the metrics read of a labeled item (../shared/eval/README.md). */
export interface EventItem extends InputItem {
  event?: string | null;
}

/** The labeled data's id for reports of the reference article's event (../shared/eval/README.md). */
export const REFERENCE_EVENT = "2022-04-27-wei-fenghe-tehran";

export interface DedupeScores {
  precision: number;
  recall: number;
  f1: number;
  referenceRecall: number;
  wrongKnown: number;
  /** Predicted cluster per item id, in stream order. */
  clusters: { item: string; cluster: string; knownEvent: string | null }[];
}

/** Stream order: by publication date; undated items last, in file order. */
function byPublished(a: EventItem, b: EventItem): number {
  const ta = a.published ? Date.parse(a.published) : Infinity;
  const tb = b.published ? Date.parse(b.published) : Infinity;
  return ta === tb ? 0 : ta < tb ? -1 : 1;
}

export async function scoreDedupe(items: readonly EventItem[], config: Config, now: number, referenceEvent = REFERENCE_EVENT): Promise<DedupeScores> {
  const dedupe = createOfflineDeduper(config);
  const ordered = [...items].sort(byPublished);
  const clusters: DedupeScores["clusters"] = [];
  for (const item of ordered) {
    const { record } = await dedupe(storyFromInput(item, now));
    clusters.push({ item: String(item.id), cluster: record.dedupe.cluster, knownEvent: record.dedupe.knownEvent });
  }
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < ordered.length; i++) {
    for (let j = i + 1; j < ordered.length; j++) {
      const ei = ordered[i]?.event ?? null;
      const gold = ei !== null && ei === (ordered[j]?.event ?? null);
      const predicted = clusters[i]?.cluster === clusters[j]?.cluster;
      if (gold && predicted) tp++;
      else if (predicted) fp++;
      else if (gold) fn++;
    }
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const reference = ordered.map((item, i) => ({ item, known: clusters[i]?.knownEvent ?? null }));
  const ofReference = reference.filter((r) => r.item.event === referenceEvent);
  const referenceRecall = ofReference.length === 0 ? 1 : ofReference.filter((r) => r.known !== null).length / ofReference.length;
  const wrongKnown = reference.filter((r) => r.known !== null && r.item.event !== referenceEvent).length;
  return { precision, recall, f1, referenceRecall, wrongKnown, clusters };
}

/** The printable section of `newswatch eval`. */
export async function dedupeMetrics(items: readonly EventItem[], config: Config, now: number, referenceEvent = REFERENCE_EVENT): Promise<string[]> {
  const s = await scoreDedupe(items, config, now, referenceEvent);
  const n = (x: number) => x.toFixed(3);
  return [
    "dedupe (same-event grouping, pairwise over event ids):",
    `  precision ${n(s.precision)}  recall ${n(s.recall)}  F1 ${n(s.f1)}   (bar: F1 >= 0.88)`,
    `  reference event ${referenceEvent}: recall ${n(s.referenceRecall)}   (bar: >= 0.9)`,
    `  stories of other events marked known-event: ${s.wrongKnown}   (bar: 0)`,
  ];
}
