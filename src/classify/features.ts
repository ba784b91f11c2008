/**
 * The features of one story for one topic: what a learned model weighs. All
 * are present-or-absent (1 or 0), named for what they test, and carry the
 * terms that made them fire so that every decision can be explained.
 *
 *  - text.title-only        the story has no description (a headline-only feed)
 *  - sides.sentence         one sentence names every side
 *  - sides.headline         the headline names every side
 *  - sides.joined           two sides stand side by side ("Iran and China", "Sino-Iranian")
 *  - frame.<cat>.near       a defense term of a lexicon category (or the topic's own, "topic")
 *                           stands in a sentence naming every side
 *  - frame.<cat>.far        … stands only elsewhere
 *  - frame.headline         the headline names every side and holds a defense term
 *  - context.<cat>.evidence a context term (economy, diplomacy …) stands in the evidence sentence
 *  - context.<cat>.elsewhere … stands only elsewhere
 *  - third.headline / third.evidence   a country other than the sides is named there
 *  - relation.<id>          the relation kind whose cues stand first in the evidence sentence
 *
 * A term inside a context phrase does not count as defense or as a relation
 * cue ("arms" in "arms embargo", "exercise" in "exercise restraint"). A side
 * named only as a backer of someone else ("Iran-backed Houthis") is a
 * bystander, not a party: that mention does not name the side. The evidence sentence is the one
 * naming every side with the most defense categories; the headline wins ties.
 * A story that leaves a side unnamed gets no features: it is never on topic.
 */
import type { CompiledTopic } from "./compile.js";
import type { Mention } from "./gazetteer.js";
import { findTerms, type TermMatcher } from "./terms.js";

export interface SentenceView {
  text: string;
  mentions: Mention[];
}

export interface FeatureHit {
  name: string;
  /** The terms or names that made the feature fire. */
  terms: string[];
}

export interface StoryFeatures {
  /** Sides no sentence names; when any is missing there are no hits. */
  missing: string[];
  /** Per side, the canonical names found. */
  named: string[][];
  hits: FeatureHit[];
  /** Index of the evidence sentence, or -1. */
  evidence: number;
  relation: string | null;
}

type Span = { text: string; start: number; end: number };

const overlaps = (a: Span, spans: readonly Span[]) => spans.some((s) => a.start < s.end && s.start < a.end);
const unique = (terms: string[]) => [...new Set(terms.map((t) => t.toLowerCase()))];

/** What stands between two side names that are "side by side": nothing, "and", a comma, a hyphen or a slash. */
const JOINER = /^\s*(?:and|&|,|[-‐‑–—/])?\s*$/i;

/** "Iran-backed", "China-aligned": the mention qualifies a third party. */
const PROXY = /^[-‐‑–]?(?:backed|aligned|allied|sponsored|funded|supported|armed|linked)\b/i;

/** The sentence's mentions of the topic's sides, leaving out those that only qualify a third party. */
function sideMentions(topic: CompiledTopic, s: SentenceView): Mention[] {
  return s.mentions.filter((m) => topic.sideOf.has(m.entity.name) && !PROXY.test(s.text.slice(m.end, m.end + 12)));
}

function sidesIn(topic: CompiledTopic, s: SentenceView): Set<number> {
  const sides = new Set<number>();
  for (const m of sideMentions(topic, s)) {
    const side = topic.sideOf.get(m.entity.name);
    if (side !== undefined) sides.add(side);
  }
  return sides;
}

function joinedSides(topic: CompiledTopic, s: SentenceView): string[] {
  const ofSide = sideMentions(topic, s);
  for (let i = 1; i < ofSide.length; i++) {
    const a = ofSide[i - 1];
    const b = ofSide[i];
    if (!a || !b || topic.sideOf.get(a.entity.name) === topic.sideOf.get(b.entity.name)) continue;
    if (JOINER.test(s.text.slice(a.end, b.start))) return [s.text.slice(a.start, b.end)];
  }
  return [];
}

const termsIn = (matcher: TermMatcher, text: string) => findTerms(matcher, text).map((m) => m.text);

export function storyFeatures(topic: CompiledTopic, sentences: readonly SentenceView[], titleOnly: boolean): StoryFeatures {
  const sideSets = sentences.map((s) => sidesIn(topic, s));
  const named = topic.sides.map((_, i) => [
    ...new Set(sentences.flatMap((s) => sideMentions(topic, s).filter((m) => topic.sideOf.get(m.entity.name) === i).map((m) => m.entity.name))),
  ]);
  const missing = topic.sides.filter((_, i) => (named[i] ?? []).length === 0);
  if (missing.length > 0) return { missing, named, hits: [], evidence: -1, relation: null };

  const hits: FeatureHit[] = [];
  const fire = (name: string, terms: string[]) => hits.push({ name, terms: unique(terms) });
  const all = sideSets.map((set) => set.size === topic.sides.length);

  // Every category runs once per sentence; the rules below only read these hits.
  const context = sentences.map((s) => topic.context.map((c) => findTerms(c.matcher, s.text)));
  const outsideContext = (matcher: TermMatcher, i: number) =>
    findTerms(matcher, sentences[i]?.text ?? "")
      .filter((m) => !overlaps(m, context[i]?.flat() ?? []))
      .map((m) => m.text);
  const frame = sentences.map((_, i) => topic.frame.map((c) => outsideContext(c.matcher, i)));
  const breadth = (i: number) => frame[i]?.filter((terms) => terms.length > 0).length ?? 0;

  let evidence = -1;
  sentences.forEach((_, i) => {
    if (all[i] && (evidence < 0 || breadth(i) > breadth(evidence))) evidence = i;
  });

  if (titleOnly) fire("text.title-only", []);
  const sentenceWithAll = sentences.findIndex((_, i) => all[i]);
  if (sentenceWithAll >= 0) fire("sides.sentence", named.flat());
  if (all[0]) fire("sides.headline", named.flat());
  const joined = sentences.flatMap((s) => joinedSides(topic, s));
  if (joined.length > 0) fire("sides.joined", joined);

  topic.frame.forEach((c, k) => {
    const near = sentences.flatMap((_, i) => (all[i] ? (frame[i]?.[k] ?? []) : []));
    if (near.length > 0) return fire(`frame.${c.id}.near`, near);
    const far = sentences.flatMap((_, i) => frame[i]?.[k] ?? []);
    if (far.length > 0) fire(`frame.${c.id}.far`, far);
  });
  if (all[0] && breadth(0) > 0) fire("frame.headline", frame[0]?.flat() ?? []);

  topic.context.forEach((c, k) => {
    const inEvidence = evidence < 0 ? [] : (context[evidence]?.[k] ?? []).map((m) => m.text);
    if (inEvidence.length > 0) return fire(`context.${c.id}.evidence`, inEvidence);
    const elsewhere = sentences.flatMap((_, i) => (context[i]?.[k] ?? []).map((m) => m.text));
    if (elsewhere.length > 0) fire(`context.${c.id}.elsewhere`, elsewhere);
  });

  const thirdInHeadline = termsIn(topic.thirdParties, sentences[0]?.text ?? "");
  if (thirdInHeadline.length > 0) fire("third.headline", thirdInHeadline);
  const thirdInEvidence = evidence < 0 ? [] : termsIn(topic.thirdParties, sentences[evidence]?.text ?? "");
  if (thirdInEvidence.length > 0) fire("third.evidence", thirdInEvidence);

  let relation: string | null = null;
  for (const r of evidence < 0 ? [] : topic.relations) {
    const cues = outsideContext(r.matcher, evidence);
    if (cues.length === 0) continue;
    relation = r.id;
    fire(`relation.${r.id}`, cues);
    break;
  }
  return { missing, named, hits, evidence, relation };
}
