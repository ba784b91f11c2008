/**
 * The classifier sections of `newswatch eval`: the service's own classifier
 * and the keyword-alert baseline over the same labeled items.
 */
import { classifyStory } from "../classify/classify.js";
import type { TopicSection } from "../config/sections/topics.js";
import { keywordAlert } from "./baseline.js";
import { itemText, type LabeledItem } from "./labeled.js";
import { confusionByKind, relevanceMetrics, type Prediction, type RelevanceMetrics } from "../learn/relevance.js";

export interface EvalOptions {
  titlesOnly: boolean;
}

export interface ClassifierEval {
  metrics: RelevanceMetrics;
  predictions: Prediction[];
  /** Items the classifier got wrong, with its score and first reasons. */
  errors: { id: string; kind: string; score: number; title: string }[];
}

export function evaluateClassifier(items: readonly LabeledItem[], topics: readonly TopicSection[], options: EvalOptions): ClassifierEval {
  const predictions: Prediction[] = [];
  const errors: ClassifierEval["errors"] = [];
  for (const item of items) {
    // Entities do not decide relevance, so NER is skipped to keep eval fast.
    const c = classifyStory(itemText(item, options.titlesOnly), topics, { ner: false });
    const actual = item.label === "relevant";
    predictions.push({ kind: item.kind, actual, predicted: c.relevant });
    if (c.relevant !== actual) errors.push({ id: String(item.id ?? "?"), kind: item.kind, score: c.score, title: item.title });
  }
  return { metrics: relevanceMetrics(predictions), predictions, errors };
}

/** The keyword alert's predictions on the same items and text. */
export function baselinePredictions(items: readonly LabeledItem[], options: EvalOptions): Prediction[] {
  return items.map((item) => ({ kind: item.kind, actual: item.label === "relevant", predicted: keywordAlert(itemText(item, options.titlesOnly)) }));
}

const pct = (x: number) => x.toFixed(3);

export function metricsLine(name: string, m: RelevanceMetrics): string {
  return `${name.padEnd(16)} precision ${pct(m.precision)}  recall ${pct(m.recall)}  F1 ${pct(m.f1)}  (tp ${m.tp} fp ${m.fp} fn ${m.fn} tn ${m.tn})`;
}

/** The relevance section: both systems' metrics, the table by kind (alerts raised per family), and the misses. */
export function classifierEvalSection(items: readonly LabeledItem[], topics: readonly TopicSection[], options: EvalOptions): string[] {
  const ours = evaluateClassifier(items, topics, options);
  const basePredictions = baselinePredictions(items, options);
  const base = relevanceMetrics(basePredictions);
  const rows = confusionByKind(ours.predictions);
  const baseRows = new Map(confusionByKind(basePredictions).map((r) => [r.kind, r]));
  const width = Math.max(8, ...rows.map((r) => r.kind.length));
  return [
    `## relevance (${items.length} items${options.titlesOnly ? ", titles only" : ", title + description"})`,
    metricsLine("classifier", ours.metrics),
    metricsLine("keyword alert", base),
    "",
    `${"kind".padEnd(width)}  items  classifier alerts (accuracy)  keyword alerts (accuracy)`,
    ...rows.map((r) => {
      const b = baseRows.get(r.kind);
      return `${r.kind.padEnd(width)}  ${String(r.items).padStart(5)}  ${String(r.alerted).padStart(17)} (${pct(r.accuracy)})  ${String(b?.alerted ?? 0).padStart(14)} (${pct(b?.accuracy ?? 0)})`;
    }),
    "",
    `misclassified: ${ours.errors.length}`,
    ...ours.errors.map((e) => `  ${e.id}  ${e.kind}  score ${e.score.toFixed(3)}  ${e.title}`),
  ];
}
