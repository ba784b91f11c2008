/**
 * The fitting procedure behind `newswatch train` and `eval --cv`:
 *  1. every labeled item gives a full row and a title-only row (dataset.ts);
 *  2. for each L2 strength on a grid, event-held-out cross-validation (folds.ts)
 *     fits on k-1 folds and predicts the held-out one;
 *  3. the strongest regularisation within one standard error of the best
 *     pooled out-of-fold F1 wins (selectByCv); its thresholds are
 *     those that maximise that same out-of-fold F1, one for stories with a
 *     description and one for headlines alone (a headline carries less evidence,
 *     so its scores sit lower);
 *  4. the weights are fitted once more on every row with that strength.
 * So the shipped threshold and strength are chosen on events the fit did not see.
 */
import { eventFolds } from "./folds.js";
import { featureNames, type Example } from "./dataset.js";
import { probability } from "../classify/model.js";
import { fitLogistic, type Fitted, type Row } from "./logistic.js";
import { relevanceMetrics, type RelevanceMetrics } from "./relevance.js";
import { meanAndSd } from "./spread.js";

export interface Weights {
  bias: number;
  weights: Record<string, number>;
}

export const L2_GRID = [0.3, 1, 3, 10] as const;
const THRESHOLDS = Array.from({ length: 9 }, (_, i) => 0.3 + i * 0.05);

/** Fits named weights on the examples that name every side. */
export function fitWeights(examples: readonly Example[], l2: number): Weights {
  const names = featureNames(examples);
  const index = new Map(names.map((n, i) => [n, i]));
  const rows: Row[] = examples
    .filter((e) => e.features !== null)
    .map((e) => ({ features: (e.features ?? []).map((f) => index.get(f) ?? 0), label: e.label }));
  const fitted: Fitted = fitLogistic(rows, names.length, { l2 });
  const round = (w: number) => Math.round(w * 1e4) / 1e4;
  return { bias: round(fitted.bias), weights: Object.fromEntries(names.map((n, i) => [n, round(fitted.weights[i] ?? 0)])) };
}

/** The probability the weights give an example; 0 when a side is not named. */
export function scoreExample(model: Weights, example: Example): number {
  return example.features === null ? 0 : probability(model, example.features);
}

export interface OutOfFold {
  example: Example;
  fold: number;
  score: number;
}

/** Scores every example with weights fitted on the other folds. */
export function outOfFold(examples: readonly Example[], k: number, l2: number): OutOfFold[] {
  const folds = eventFolds(
    examples.map((e) => e.item),
    k,
  );
  const out: OutOfFold[] = [];
  for (let f = 0; f < k; f++) {
    const model = fitWeights(
      examples.filter((_, i) => folds[i] !== f),
      l2,
    );
    examples.forEach((example, i) => {
      if (folds[i] === f) out.push({ example, fold: f, score: scoreExample(model, example) });
    });
  }
  return out;
}

export interface Thresholds {
  full: number;
  titles: number;
}

export const thresholdFor = (t: Thresholds, titleOnly: boolean) => (titleOnly ? t.titles : t.full);

export function metricsAt(scored: readonly OutOfFold[], t: Thresholds): RelevanceMetrics {
  return relevanceMetrics(scored.map((s) => ({ kind: s.example.item.kind, actual: s.example.label, predicted: s.score >= thresholdFor(t, s.example.titleOnly) })));
}

/** The threshold with the best F1 over these scores (the middle one of ties). */
function bestThreshold(scored: readonly OutOfFold[]): number {
  const f1s = THRESHOLDS.map((t) => metricsAt(scored, { full: t, titles: t }).f1);
  const top = Math.max(...f1s);
  const ties = THRESHOLDS.filter((_, i) => (f1s[i] as number) >= top - 1e-9);
  return Math.round((ties[Math.floor(ties.length / 2)] as number) * 100) / 100;
}

export interface Selection {
  l2: number;
  thresholds: Thresholds;
  /** Pooled out-of-fold figures at that strength and those thresholds. */
  f1: number;
  precision: number;
  recall: number;
}

/** Standard error of the mean of the per-fold F1s: how much the pooled F1 could move with other folds. */
function foldStandardError(scored: readonly OutOfFold[], t: Thresholds, k: number): number {
  const f1s = Array.from({ length: k }, (_, f) => metricsAt(scored.filter((s) => s.fold === f), t).f1);
  return meanAndSd(f1s).sd / Math.sqrt(k);
}

/** A strength's cross-validated result and the standard error of its F1. */
export interface Candidate {
  selection: Selection;
  se: number;
}

/**
 * The one-standard-error rule: the strongest regularisation whose pooled F1 is
 * within one standard error of the best one's. Strengths that close are told
 * apart by the folds' noise, not by the data, and the stronger one gives
 * smaller weights, which move less when the data grows.
 */
export function oneStandardError(candidates: readonly Candidate[]): Selection {
  const best = candidates.reduce<Candidate | null>((a, c) => (a === null || c.selection.f1 > a.selection.f1 + 1e-9 ? c : a), null);
  if (best === null) throw new Error("learn/train: empty L2 grid");
  const close = candidates.filter((c) => c.selection.f1 >= best.selection.f1 - best.se);
  return close.reduce((a, c) => (c.selection.l2 > a.selection.l2 ? c : a)).selection;
}

/** Chooses the L2 strength and thresholds by event-held-out cross-validation (oneStandardError). */
export function selectByCv(examples: readonly Example[], k: number, grid: readonly number[] = L2_GRID): Selection {
  return oneStandardError(
    grid.map((l2) => {
      const scored = outOfFold(examples, k, l2);
      const thresholds = {
        full: bestThreshold(scored.filter((s) => !s.example.titleOnly)),
        titles: bestThreshold(scored.filter((s) => s.example.titleOnly)),
      };
      const m = metricsAt(scored, thresholds);
      return { selection: { l2, thresholds, f1: m.f1, precision: m.precision, recall: m.recall }, se: foldStandardError(scored, thresholds, k) };
    }),
  );
}
