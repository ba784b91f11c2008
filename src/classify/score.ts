/**
 * Scores one story against one topic: the logistic of the model's bias plus
 * the weight of every feature present (features.ts). A linear model, so each
 * feature's contribution is its weight, and the reasons list them all.
 */
import type { ScoredTopic } from "./compile.js";
import { storyFeatures, type SentenceView } from "./features.js";
import { probability } from "./model.js";

export interface Contribution {
  feature: string;
  weight: number;
  terms: string[];
}

export interface TopicScore {
  topic: string;
  score: number;
  relevant: boolean;
  /** The bias and each present feature with its weight: what --explain prints. */
  contributions: Contribution[];
  reasons: string[];
  evidence: string | null;
  relation: string | null;
}

const fmt = (w: number) => (w >= 0 ? `+${w.toFixed(2)}` : w.toFixed(2));
const quote = (terms: string[]) => terms.map((t) => `"${t}"`).join(", ");

export function scoreTopic(topic: ScoredTopic, sentences: readonly SentenceView[], titleOnly: boolean): TopicScore {
  const f = storyFeatures(topic, sentences, titleOnly);
  const reasons: string[] = [];
  if (f.missing.length > 0) {
    reasons.push(`not named: ${f.missing.join(", ")}`);
    return { topic: topic.id, score: 0, relevant: false, contributions: [], reasons, evidence: null, relation: null };
  }
  topic.sides.forEach((side, i) => reasons.push(`${side}: ${(f.named[i] ?? []).join(", ")}`));
  const contributions: Contribution[] = [{ feature: "bias", weight: topic.model.bias, terms: [] }];
  for (const hit of f.hits) contributions.push({ feature: hit.name, weight: topic.model.weights[hit.name] ?? 0, terms: hit.terms });
  for (const c of contributions.slice(1)) reasons.push(`${c.feature}${c.terms.length > 0 ? `: ${quote(c.terms)}` : ""} (${fmt(c.weight)})`);
  const score = probability(topic.model, f.hits.map((h) => h.name));
  const threshold = titleOnly ? topic.titleThreshold : topic.threshold;
  const relevant = score >= threshold;
  reasons.push(`score ${score.toFixed(3)} ${relevant ? "≥" : "<"} threshold ${threshold}${titleOnly ? " (headline alone)" : ""}`);
  const evidence = sentences[f.evidence]?.text ?? null;
  return { topic: topic.id, score, relevant, contributions, reasons, evidence, relation: relevant ? (f.relation ?? "other") : f.relation };
}
