/**
 * Scores one story against one compiled topic. The rules, in order:
 *  1. every side of the relation must be named (else a large penalty);
 *  2. the sides count more when one sentence names them all, and the headline more;
 *  3. each frame group adds its weight once: fully when it stands in a sentence
 *     that names every side, partly when it stands elsewhere. A frame term inside
 *     an against term does not count ("arms" in "arms embargo", "security" in
 *     "Security Council");
 *  4. the evidence is the sentence naming every side with the most frame weight;
 *     a relation cue there names the kind of story and adds a little;
 *  5. each against group (economic, diplomatic … context) subtracts its weight
 *     once: fully in the evidence sentence, partly elsewhere.
 * The score is the logistic of the sum, so the threshold reads as a probability.
 */
import { matchAll } from "./terms.js";
import type { CompiledTopic } from "./compile.js";
import type { Mention } from "./gazetteer.js";

export interface SentenceView {
  text: string;
  mentions: Mention[];
}

export interface TopicScore {
  topic: string;
  score: number;
  relevant: boolean;
  reasons: string[];
  evidence: string | null;
  relation: string | null;
}

const logistic = (z: number) => 1 / (1 + Math.exp(-z));
const fmt = (w: number) => (w >= 0 ? `+${w.toFixed(2)}` : w.toFixed(2));
const quote = (terms: string[]) => [...new Set(terms.map((t) => t.toLowerCase()))].map((t) => `"${t}"`).join(", ");

type Span = { start: number; end: number };

function termsIn(pattern: RegExp, text: string, masked: readonly Span[] = []): string[] {
  return matchAll(pattern, text)
    .filter((m) => !masked.some((s) => m.start < s.end && s.start < m.end))
    .map((m) => m.text);
}

function sidesIn(topic: CompiledTopic, s: SentenceView): Set<number> {
  const sides = new Set<number>();
  for (const m of s.mentions) {
    const side = topic.sideOf.get(m.entity.name);
    if (side !== undefined) sides.add(side);
  }
  return sides;
}

/**
 * A term group adds its weight once: in full when its terms stand where they
 * matter (`near`), at `share` of it when they stand only elsewhere.
 */
function weighGroup(label: string, weight: number, near: string[], anywhere: () => string[], share: number, farNote: string, reasons: string[]): number {
  if (near.length > 0) {
    reasons.push(`${label}: ${quote(near)} (${fmt(weight)})`);
    return weight;
  }
  const far = anywhere();
  if (far.length === 0) return 0;
  reasons.push(`${label}, ${farNote}: ${quote(far)} (${fmt(weight * share)})`);
  return weight * share;
}

export function scoreTopic(topic: CompiledTopic, sentences: SentenceView[]): TopicScore {
  const w = topic.weights;
  const reasons: string[] = [];
  const sideSets = sentences.map((s) => sidesIn(topic, s));
  const mentions = sentences.flatMap((s) => s.mentions);
  const named = topic.sides.map((_, i) => [
    ...new Set(mentions.filter((m) => topic.sideOf.get(m.entity.name) === i).map((m) => m.entity.name)),
  ]);
  const missing = topic.sides.filter((_, i) => (named[i] ?? []).length === 0);
  let z = w.bias;
  if (missing.length > 0) {
    z += w.missingSide;
    reasons.push(`not named: ${missing.join(", ")} (${fmt(w.missingSide)})`);
    return { topic: topic.id, score: logistic(z), relevant: false, reasons, evidence: null, relation: null };
  }
  topic.sides.forEach((side, i) => reasons.push(`${side}: ${(named[i] ?? []).join(", ")}`));

  const all = sideSets.map((set) => set.size === topic.sides.length);
  // Every group runs once per sentence; the rules below only read these hits.
  const againstMatches = sentences.map((s) => topic.against.map((g) => matchAll(g.pattern, s.text)));
  const against = againstMatches.map((perGroup) => perGroup.map((ms) => ms.map((m) => m.text)));
  const frame = sentences.map((s, i) => topic.frame.map((g) => termsIn(g.pattern, s.text, againstMatches[i]?.flat() ?? [])));
  const weightOf = (i: number) => topic.frame.reduce((sum, g, k) => sum + ((frame[i]?.[k]?.length ?? 0) > 0 ? g.weight : 0), 0);
  if (all.some(Boolean)) {
    z += w.sidesInSentence;
    reasons.push(`all sides in one sentence (${fmt(w.sidesInSentence)})`);
  }
  if (all[0]) {
    z += w.sidesInTitle;
    reasons.push(`all sides in the headline (${fmt(w.sidesInTitle)})`);
  }

  // Evidence: the sentence naming every side with the most frame weight; the headline wins ties.
  let evidence = -1;
  let best = -1;
  sentences.forEach((_, i) => {
    if (!all[i]) return;
    const weight = weightOf(i);
    if (weight > best) [evidence, best] = [i, weight];
  });

  topic.frame.forEach((g, k) => {
    const near = sentences.flatMap((_, i) => (all[i] ? (frame[i]?.[k] ?? []) : []));
    z += weighGroup(`frame ${g.id}`, g.weight, near, () => sentences.flatMap((_, i) => frame[i]?.[k] ?? []), w.distantFrame, "away from the sides", reasons);
  });
  if (all[0] && weightOf(0) > 0) {
    z += w.frameInTitle;
    reasons.push(`frame in the headline with all sides (${fmt(w.frameInTitle)})`);
  }

  const evidenceText = sentences[evidence]?.text ?? null;
  let relation: string | null = null;
  if (evidenceText !== null) {
    for (const r of topic.relations) {
      const cues = termsIn(r.pattern, evidenceText);
      if (cues.length === 0) continue;
      relation = r.id;
      if (best > 0) z += r.weight;
      reasons.push(`relation ${r.id} (${r.label}): ${quote(cues)}${best > 0 ? ` (${fmt(r.weight)})` : ""}`);
      break;
    }
  }

  topic.against.forEach((g, k) => {
    const inEvidence = evidence < 0 ? [] : (against[evidence]?.[k] ?? []);
    z += weighGroup(`against ${g.id}`, g.weight, inEvidence, () => sentences.flatMap((_, i) => against[i]?.[k] ?? []), w.distantAgainst, "outside the evidence", reasons);
  });

  const score = logistic(z);
  const relevant = score >= topic.threshold;
  reasons.push(`score ${score.toFixed(3)} ${relevant ? "≥" : "<"} threshold ${topic.threshold}`);
  return { topic: topic.id, score, relevant, reasons, evidence: evidenceText, relation: relevant ? (relation ?? "other") : relation };
}
