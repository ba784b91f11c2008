/**
 * The dedupe half of `newswatch eval --cv K`: the same event-held-out folds as
 * the classifier's (src/learn/folds.ts). For each fold the TUNABLE parameters
 * are fitted on the other folds' items alone (a stream of those items, scored
 * on their pairs). The fitted options then run over the FULL stream, every
 * item in time order, as deployment sees it: a held-out fold on its own would
 * hold a fifth of the events, far less crowded than real news, and hide
 * mistakes that only several concurrent events with the same actors provoke.
 * Only held-out items are judged (dedupe-metrics.ts, held-out scoring): pairs
 * of two held-out items for recall and true positives; any predicted pair
 * with a held-out item for precision, so grouping a held-out item with a
 * training item is a false positive; pairs of two training items never count.
 * No held-out label is used in fitting. A fit over all the items gives the
 * options to ship; its scores are on the items it was fitted on, so only the
 * held-out figures say how well fitting generalises.
 */
import type { DedupeOptions } from "../dedupe/dedupe.js";
import { TUNABLE, type Tunable } from "../dedupe/tuning.js";
import { eventFolds } from "../learn/folds.js";
import { meanSd } from "./cross-validation.js";
import { fitDedupe, type DedupeFit } from "./dedupe-fit.js";
import { REFERENCE_EVENT, dedupeScoreLines, runDedupe, subset, type DedupeScores, type PreparedEvents } from "./dedupe-metrics.js";

export interface DedupeFoldResult {
  fold: number;
  train: number;
  heldOut: number;
  fitted: DedupeOptions;
  scores: DedupeScores;
}

export interface DedupeCvResult {
  folds: DedupeFoldResult[];
  all: DedupeFit;
  /** Dedupe runs over all fits. */
  runs: number;
}

export interface DedupeCvOptions {
  tunable?: readonly Tunable[];
  referenceEvent?: string;
  /** The fitter (tests pass one that records what it is given). */
  fit?: typeof fitDedupe;
}

export async function crossValidateDedupe(prepared: PreparedEvents, k: number, start: DedupeOptions, cv: DedupeCvOptions = {}): Promise<DedupeCvResult> {
  const { tunable = TUNABLE, referenceEvent = REFERENCE_EVENT, fit = fitDedupe } = cv;
  const folds = eventFolds(prepared.entries, k);
  const results: DedupeFoldResult[] = [];
  let runs = 0;
  for (let f = 0; f < k; f++) {
    const train = subset(prepared, (i) => folds[i] !== f);
    const isHeldOut = (i: number) => folds[i] === f;
    const fitted = await fit(train, start, tunable, referenceEvent);
    runs += fitted.runs + 1;
    const scores = await runDedupe(prepared, fitted.options, referenceEvent, isHeldOut);
    results.push({ fold: f, train: train.entries.length, heldOut: prepared.entries.length - train.entries.length, fitted: fitted.options, scores });
  }
  const all = await fit(prepared, start, tunable, referenceEvent);
  return { folds: results, all, runs: runs + all.runs };
}

const n3 = (x: number) => x.toFixed(3);

/** A fitted value in its unit (tuning.ts). */
const shown = (t: Tunable, value: number) => `${Math.round((value / (t.unit?.size ?? 1)) * 1000) / 1000}${t.unit?.name ?? ""}`;

function fittedText(options: DedupeOptions, tunable: readonly Tunable[]): string {
  return tunable.map((t) => `${t.key} ${shown(t, options[t.key])}`).join("  ");
}

/** Per fold and mean ± sd: fitted parameters and held-out scores; then the fit over all items and the configured values beside it. */
export function dedupeCvSection(
  result: DedupeCvResult,
  configured: DedupeOptions,
  tunable: readonly Tunable[] = TUNABLE,
  referenceEvent = REFERENCE_EVENT,
): string[] {
  const { folds, all } = result;
  const withReference = folds.filter((f) => f.scores.referenceRecall !== null);
  const refText = (s: DedupeScores) => (s.referenceRecall === null ? "no reference items" : `${n3(s.referenceRecall)} of ${s.referenceItems}`);
  return [
    `## dedupe, event-held-out (${folds.length} folds; ${tunable.map((t) => t.key).join(", ")} fitted on the training folds' items only, ${result.runs} dedupe runs)`,
    "protocol: each fold's fit runs over the full stream (all items, time order); scored: pairs of two held-out items, plus, for precision, predicted pairs of a held-out item with any other item (false positives); pairs of two training items never count",
    ...folds.map(
      (f) =>
        `fold ${f.fold + 1} (fit on ${f.train}, score ${f.heldOut} held-out in the full stream): ${fittedText(f.fitted, tunable)}  →  P ${n3(f.scores.precision)}  R ${n3(f.scores.recall)}  F1 ${n3(f.scores.f1)}  reference recall ${refText(f.scores)}  other events known ${f.scores.wrongKnown}`,
    ),
    `fitted                 ${tunable.map((t) => `${t.key} ${meanSd(folds.map((f) => f.fitted[t.key] / (t.unit?.size ?? 1)))}${t.unit?.name ?? ""}`).join("  ")}`,
    `held-out               precision ${meanSd(folds.map((f) => f.scores.precision))}  recall ${meanSd(folds.map((f) => f.scores.recall))}  F1 ${meanSd(folds.map((f) => f.scores.f1))}`,
    withReference.length === 0
      ? `reference event ${referenceEvent}: no reference items`
      : `reference event ${referenceEvent}: held-out recall ${meanSd(withReference.map((f) => f.scores.referenceRecall ?? 0))} over ${withReference.length} fold(s) with reference items`,
    `other events marked known-event (held-out, all folds): ${folds.reduce((a, f) => a + f.scores.wrongKnown, 0)}`,
    "",
    `fit over all ${folds.reduce((a, f) => a + f.heldOut, 0)} items: ${fittedText(all.options, tunable)}   (configured: ${fittedText(configured, tunable)}; to ship the fit, set these keys in the config's dedupe section)`,
    "  its scores on the items it was fitted on (optimistic):",
    ...dedupeScoreLines(all.scores, referenceEvent),
  ];
}
