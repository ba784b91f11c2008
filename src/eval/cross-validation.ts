/**
 * `newswatch eval --cv K`: the fitting procedure of `newswatch train`, judged
 * on events it never saw. Items are split into K folds by event; for each
 * fold, the L2 strength and threshold are chosen by an inner event-held-out
 * cross-validation on the other folds, weights are fitted there, and the
 * held-out fold is scored. Mean and spread over folds of precision, recall
 * and F1 are reported for title + description and for titles alone.
 */
import type { Example } from "../learn/dataset.js";
import { eventFolds } from "../learn/folds.js";
import { confusionByKind, relevanceMetrics, type Prediction, type RelevanceMetrics } from "../learn/relevance.js";
import { meanAndSd } from "../learn/spread.js";
import { fitWeights, scoreExample, selectByCv, thresholdFor } from "../learn/train.js";

export interface FoldResult {
  fold: number;
  full: RelevanceMetrics;
  titles: RelevanceMetrics;
}

export interface CvPrediction extends Prediction {
  id: string;
  title: string;
  titleOnly: boolean;
  score: number;
}

export interface CvResult {
  folds: FoldResult[];
  predictions: CvPrediction[];
}

const INNER_FOLDS = 4;

export function crossValidate(examples: readonly Example[], k: number): CvResult {
  const folds = eventFolds(
    examples.map((e) => e.item),
    k,
  );
  const results: FoldResult[] = [];
  const predictions: CvPrediction[] = [];
  for (let f = 0; f < k; f++) {
    const train = examples.filter((_, i) => folds[i] !== f);
    const test = examples.filter((_, i) => folds[i] === f);
    const chosen = selectByCv(train, INNER_FOLDS);
    const weights = fitWeights(train, chosen.l2);
    const scored = test.map((e): CvPrediction => {
      const score = scoreExample(weights, e);
      return { id: e.item.id, title: e.item.title, kind: e.item.kind, titleOnly: e.titleOnly, actual: e.label, predicted: score >= thresholdFor(chosen.thresholds, e.titleOnly), score };
    });
    predictions.push(...scored);
    results.push({ fold: f, full: relevanceMetrics(scored.filter((p) => !p.titleOnly)), titles: relevanceMetrics(scored.filter((p) => p.titleOnly)) });
  }
  return { folds: results, predictions };
}

/** `mean ± sd` (sample standard deviation) to three decimals. */
export function meanSd(values: readonly number[]): string {
  const { mean, sd } = meanAndSd(values);
  return `${mean.toFixed(3)} ± ${sd.toFixed(3)}`;
}

function summary(label: string, metrics: readonly RelevanceMetrics[]): string {
  return `${label.padEnd(22)} precision ${meanSd(metrics.map((m) => m.precision))}  recall ${meanSd(metrics.map((m) => m.recall))}  F1 ${meanSd(metrics.map((m) => m.f1))}`;
}

/** The printable section: per-fold and mean ± sd figures, errors by kind, and the misclassified items. */
export function cvSection(result: CvResult, items: number, events: number): string[] {
  const k = result.folds.length;
  const byKind = (titleOnly: boolean) => confusionByKind(result.predictions.filter((p) => p.titleOnly === titleOnly));
  const titlesRows = new Map(byKind(true).map((r) => [r.kind, r]));
  const rows = byKind(false);
  const width = Math.max(8, ...rows.map((r) => r.kind.length));
  const errors = (titleOnly: boolean) => result.predictions.filter((p) => p.titleOnly === titleOnly && p.predicted !== p.actual);
  const listed = (titleOnly: boolean) => errors(titleOnly).map((e) => `  ${e.id}  ${e.kind}  score ${e.score.toFixed(3)}  ${e.title}`);
  return [
    `## event-held-out cross-validation (${k} folds, ${items} items, ${events} event groups; L2 and thresholds chosen inside each training split)`,
    ...result.folds.map((f) => `fold ${f.fold + 1}: title + description F1 ${f.full.f1.toFixed(3)}  titles only F1 ${f.titles.f1.toFixed(3)}`),
    summary("title + description", result.folds.map((f) => f.full)),
    summary("titles only", result.folds.map((f) => f.titles)),
    "",
    `${"kind".padEnd(width)}  items  errors (title + description)  errors (titles only)`,
    ...rows.map((r) => {
      const t = titlesRows.get(r.kind);
      const wrong = (row: { items: number; accuracy: number } | undefined) => Math.round((row?.items ?? 0) * (1 - (row?.accuracy ?? 1)));
      return `${r.kind.padEnd(width)}  ${String(r.items).padStart(5)}  ${String(wrong(r)).padStart(28)}  ${String(wrong(t)).padStart(20)}`;
    }),
    "",
    `misclassified (title + description): ${errors(false).length}`,
    ...listed(false),
    `misclassified (titles only): ${errors(true).length}`,
    ...listed(true),
  ];
}
