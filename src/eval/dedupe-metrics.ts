/**
 * Same-event grouping quality on labeled items: the service's dedupe rule on
 * an in-memory store over the items in stream order, then pairwise precision,
 * recall and F1 over the items' event ids, recall of the reference event, and
 * stories of other events wrongly marked known-event.
 *
 * Stories are scored by the event they end in, as `newswatch clusters` shows
 * it after the run: a story whose cluster later merged into another counts in
 * the survivor (MemoryDedupeStore.survivor), and a reference report counts as
 * recalled when that final event is the known event. A story of another event
 * counts as wrongly known when it was marked known-event or ended in a known
 * event. The pairwise figures as decided (each story's cluster at its
 * verdict) are kept beside them (`decided`), to show what merging adds.
 *
 * Items are classified and fingerprinted once (`prepareEvents`); a run
 * (`runDedupe`) only replays the rule on a fresh store with the options given,
 * so that fitting (dedupe-fit.ts) can try many options without classifying
 * again. A run on a `subset` holds only that subset's items.
 *
 * Held-out scoring (`scored`, for event-held-out CV, dedupe-cv.ts): the run
 * still holds every item, as the service would see the stream, but only the
 * scored (held-out) items are judged. A pair counts when it has a scored item:
 * as gold and true positive only when both items are scored (same event, same
 * final cluster); as predicted when either is, so a scored item grouped with
 * an unscored one (of another event, since folds never split an event, or
 * unlabeled) is a false positive. A pair of two unscored items never counts.
 * Reference recall and wrong known-event marks are over scored items only.
 */
import { classifyStory } from "../classify/classify.js";
import type { Config } from "../config/schema.js";
import type { ReferenceSeed } from "../dedupe/decide.js";
import { dedupeOptions, dedupeStory, type DedupeOptions } from "../dedupe/dedupe.js";
import { buildVocabulary, fingerprint, type Fingerprint } from "../dedupe/fingerprint.js";
import { MemoryDedupeStore } from "../dedupe/memory-store.js";
import type { MemberView } from "../dedupe/store.js";
import { memberOf, storyInput } from "../dedupe/story.js";
import { loadReferenceSeeds } from "../dedupe/reference-seeds.js";
import { EVAL_BARS } from "./bars.js";
import { storyFromInput, type InputItem } from "./input-item.js";

/** What the metrics read of a labeled item (../shared/eval/README.md). */
export interface EventItem extends InputItem {
  event?: string | null;
}

/** The labeled data's id for reports of the reference article's event (../shared/eval/README.md). */
export const REFERENCE_EVENT = "2022-04-27-wei-fenghe-tehran";

export interface PreparedEntry {
  id: string;
  event: string | null;
  fp: Fingerprint;
  member: MemberView;
}

export interface PreparedEvents {
  /** In stream order. */
  entries: readonly PreparedEntry[];
  references: readonly ReferenceSeed[];
}

export interface PairScores {
  precision: number;
  recall: number;
  f1: number;
}

export interface DedupeScores extends PairScores {
  /** Reports of the reference event among the items. */
  referenceItems: number;
  /** Share of them whose final event is the known event; null when there are none. */
  referenceRecall: number | null;
  /** Stories of other events marked known-event or ending in a known event. */
  wrongKnown: number;
  /** Pairwise scores over the clusters as decided, before later merges. */
  decided?: PairScores;
}

/** Stream order: by publication date; undated items last, in file order. */
function byPublished(a: EventItem, b: EventItem): number {
  const ta = a.published ? Date.parse(a.published) : Infinity;
  const tb = b.published ? Date.parse(b.published) : Infinity;
  return ta === tb ? 0 : ta < tb ? -1 : 1;
}

/** Classifies and fingerprints every item once, as the service does before its dedupe stage; `now` dates undated items. */
export function prepareEvents(items: readonly EventItem[], config: Config, now: number): PreparedEvents {
  const vocab = buildVocabulary(config.topics);
  const entries = [...items].sort(byPublished).map((item): PreparedEntry => {
    const story = storyFromInput(item, now);
    const fp = fingerprint(storyInput(story, classifyStory(story, config.topics)), vocab);
    return { id: String(item.id), event: item.event ?? null, fp, member: memberOf(story) };
  });
  return { entries, references: loadReferenceSeeds(config, vocab) };
}

/** The entries that `keep` selects (by index in stream order), with the same references. */
export function subset(prepared: PreparedEvents, keep: (index: number) => boolean): PreparedEvents {
  return { entries: prepared.entries.filter((_, i) => keep(i)), references: prepared.references };
}

const pairs = (n: number) => (n * (n - 1)) / 2;

function countBy(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
}

/** A story as scored: its event id, its cluster, and whether it is judged (held-out; absent: yes). */
export interface PairRow {
  event: string | null;
  cluster: string;
  scored?: boolean;
}

/**
 * Pairwise precision, recall and F1 of predicted clusters against event ids
 * (unlabeled items only add predicted pairs), over the pairs with a scored
 * item (header: held-out scoring); with every row scored, all pairs.
 */
export function pairScores(rows: readonly PairRow[]): PairScores {
  // Pairs counted from group sizes: same predicted cluster, same (non-null) event, and both.
  const judged = rows.filter((v) => v.scored !== false);
  const unjudged = rows.filter((v) => v.scored === false);
  // Predicted pairs with at least one scored item: all pairs of a cluster less those of its unscored items.
  const predicted =
    [...countBy(rows.map((v) => v.cluster)).values()].reduce((a, n) => a + pairs(n), 0) -
    [...countBy(unjudged.map((v) => v.cluster)).values()].reduce((a, n) => a + pairs(n), 0);
  const labeled = judged.filter((v) => v.event !== null);
  const gold = [...countBy(labeled.map((v) => v.event as string)).values()].reduce((a, n) => a + pairs(n), 0);
  const tp = [...countBy(labeled.map((v) => JSON.stringify([v.cluster, v.event]))).values()].reduce((a, n) => a + pairs(n), 0);
  const precision = predicted === 0 ? 1 : tp / predicted;
  const recall = gold === 0 ? 1 : tp / gold;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/**
 * Dedupes the entries in order on a fresh in-memory store with `options`, and
 * scores the final events against the event ids; with `scored`, only the
 * entries it selects (by index in stream order) are judged (header).
 */
export async function runDedupe(
  prepared: PreparedEvents,
  options: DedupeOptions,
  referenceEvent = REFERENCE_EVENT,
  scored: (index: number) => boolean = () => true,
): Promise<DedupeScores> {
  const store = new MemoryDedupeStore();
  const deps = { store, references: prepared.references, options };
  const decided: (PairRow & { known: boolean })[] = [];
  for (const [i, e] of prepared.entries.entries()) {
    const { dedupe } = await dedupeStory(e.fp, e.member, deps);
    decided.push({ event: e.event, cluster: dedupe.cluster, known: dedupe.knownEvent !== null, scored: scored(i) });
  }
  const final = decided.map((v) => {
    const survivor = store.survivor(v.cluster);
    return { event: v.event, cluster: survivor.id, known: survivor.knownEvent !== null, marked: v.known, scored: v.scored };
  });
  const judged = final.filter((v) => v.scored);
  const ofReference = judged.filter((v) => v.event === referenceEvent);
  return {
    ...pairScores(final),
    referenceItems: ofReference.length,
    referenceRecall: ofReference.length === 0 ? null : ofReference.filter((v) => v.known).length / ofReference.length,
    wrongKnown: judged.filter((v) => (v.known || v.marked) && v.event !== referenceEvent).length,
    decided: pairScores(decided),
  };
}

/** The configured deduper's scores on the items. */
export async function scoreDedupe(items: readonly EventItem[], config: Config, now: number, referenceEvent = REFERENCE_EVENT): Promise<DedupeScores> {
  return runDedupe(prepareEvents(items, config, now), dedupeOptions(config.dedupe), referenceEvent);
}

const n3 = (x: number) => x.toFixed(3);

/** One line each for pairwise P/R/F1, reference recall and wrong known-event marks, with the bars. */
export function dedupeScoreLines(s: DedupeScores, referenceEvent = REFERENCE_EVENT): string[] {
  const bars = EVAL_BARS.dedupe;
  return [
    `  final events (after merges): precision ${n3(s.precision)}  recall ${n3(s.recall)}  F1 ${n3(s.f1)}   (bar: F1 >= ${bars.f1})`,
    ...(s.decided ? [`  clusters as decided (before later merges): precision ${n3(s.decided.precision)}  recall ${n3(s.decided.recall)}  F1 ${n3(s.decided.f1)}`] : []),
    s.referenceRecall === null
      ? `  reference event ${referenceEvent}: no reference items`
      : `  reference event ${referenceEvent}: ${n3(s.referenceRecall)} of ${s.referenceItems} end in the known event   (bar: >= ${bars.referenceRecall})`,
    `  stories of other events marked known-event or ending in one: ${s.wrongKnown}   (bar: ${bars.wrongKnown})`,
  ];
}

/** The printable section of `newswatch eval`. */
export async function dedupeMetrics(items: readonly EventItem[], config: Config, now: number, referenceEvent = REFERENCE_EVENT): Promise<string[]> {
  return ["dedupe (same-event grouping, pairwise over event ids, each story scored in the event it ends in):", ...dedupeScoreLines(await scoreDedupe(items, config, now, referenceEvent), referenceEvent)];
}
