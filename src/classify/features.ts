/**
 * The features of one story for one topic: what a learned model weighs. All
 * are present-or-absent (1 or 0), named for what they test, and carry the
 * terms that made them fire so that every decision can be explained.
 *
 *  - text.title-only        the story has no description (a headline-only feed)
 *  - sides.sentence         one sentence names every side
 *  - sides.headline         the headline names every side
 *  - sides.joined           two sides stand side by side ("Iran and China", "Sino-Iranian")
 *  - sides.close            two sides are named within a few words of each other
 *  - frame.<cat>.near       a defense term of a lexicon category (or the topic's own, "topic")
 *                           stands in a sentence naming every side
 *  - frame.<cat>.far        … stands only elsewhere
 *  - frame.entity.near/far  … the same for a named entity marked `defense` (a defense
 *                           minister, an armed force, a weapons system)
 *  - frame.headline         the headline names every side and holds a defense term
 *  - context.<cat>.evidence a context term (economy, diplomacy …) stands in the evidence sentence
 *  - context.<cat>.dense    … and the evidence sentence holds three or more of its terms
 *  - context.<cat>.elsewhere … stands only elsewhere
 *  - third.headline / third.evidence   a country other than the sides is named there
 *  - third.joined           a side stands side by side with a third country ("Iran, Russia stage …")
 *  - both.<id>              the categories of a lexicon conjunction all stand in the headline
 *                           or all in the evidence sentence ("reaction-to-attack": diplomacy
 *                           and attack words together)
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
import { THIRD_PARTY } from "./lexicon.js";
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

/** A term standing inside a longer context phrase ("arms" in "arms embargo") belongs to the phrase. */
const insideAny = (a: Span, spans: readonly Span[]) => spans.some((s) => s.start <= a.start && a.end <= s.end && s.end - s.start > a.end - a.start);
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

/** Distinct context terms in the evidence sentence that make it "dense" with that context. */
const DENSE_TERMS = 3;

/** At most this many words between two sides' names make them "close". */
const CLOSE_WORDS = 6;

type Named = { start: number; end: number; side: number };

/** Pairs of neighbouring names in a sentence that `test` accepts, as the text spanning each pair. */
function pairs(text: string, names: readonly Named[], test: (a: Named, b: Named, gap: string) => boolean): string[] {
  const ordered = [...names].sort((a, b) => a.start - b.start);
  const out: string[] = [];
  for (let i = 1; i < ordered.length; i++) {
    const a = ordered[i - 1];
    const b = ordered[i];
    if (a && b && b.start >= a.end && test(a, b, text.slice(a.end, b.start))) out.push(text.slice(a.start, b.end));
  }
  return out;
}

const wordCount = (gap: string) => gap.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;

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
  // A term inside a longer term of the other kind belongs to it: "arms" in "arms
  // embargo" is context, "attack" in "attack helicopter" is defense.
  const rawContext = sentences.map((s) => topic.context.map((c) => findTerms(c.matcher, s.text)));
  const rawFrame = sentences.map((s) => topic.frame.map((c) => findTerms(c.matcher, s.text)));
  const context = rawContext.map((perCategory, i) => perCategory.map((ms) => ms.filter((m) => !insideAny(m, rawFrame[i]?.flat() ?? []))));
  const outsideContext = (matches: readonly Span[], i: number) => matches.filter((m) => !insideAny(m, rawContext[i]?.flat() ?? [])).map((m) => m.text);
  const frame = rawFrame.map((perCategory, i) => perCategory.map((ms) => outsideContext(ms, i)));
  const breadth = (i: number) => frame[i]?.filter((terms) => terms.length > 0).length ?? 0;

  let evidence = -1;
  sentences.forEach((_, i) => {
    if (all[i] && (evidence < 0 || breadth(i) > breadth(evidence))) evidence = i;
  });

  if (titleOnly) fire("text.title-only", []);
  const sentenceWithAll = sentences.findIndex((_, i) => all[i]);
  if (sentenceWithAll >= 0) fire("sides.sentence", named.flat());
  if (all[0]) fire("sides.headline", named.flat());
  // Side names per sentence (side index ≥ 0) and third countries (side -1), for the pair rules.
  const names = sentences.map((s): Named[] => [
    ...sideMentions(topic, s).map((m) => ({ start: m.start, end: m.end, side: topic.sideOf.get(m.entity.name) ?? -1 })),
    ...findTerms(topic.thirdParties, s.text).map((m) => ({ start: m.start, end: m.end, side: -1 })),
  ]);
  const sidePairs = (test: (gap: string) => boolean) =>
    sentences.flatMap((s, i) => pairs(s.text, names[i] ?? [], (a, b, gap) => a.side >= 0 && b.side >= 0 && a.side !== b.side && test(gap)));
  const joined = sidePairs((gap) => JOINER.test(gap));
  if (joined.length > 0) fire("sides.joined", joined);
  const close = sidePairs((gap) => wordCount(gap) <= CLOSE_WORDS);
  if (close.length > 0) fire("sides.close", close);
  const withThird = sentences.flatMap((s, i) => pairs(s.text, names[i] ?? [], (a, b, gap) => (a.side < 0) !== (b.side < 0) && JOINER.test(gap)));
  if (withThird.length > 0) fire("third.joined", withThird);

  /** `<name>.near` when terms stand in a sentence naming every side, else `<name>.far` when they stand anywhere. */
  const nearOrFar = (name: string, perSentence: readonly string[][]) => {
    const near = perSentence.flatMap((terms, i) => (all[i] ? terms : []));
    if (near.length > 0) return fire(`${name}.near`, near);
    const far = perSentence.flat();
    if (far.length > 0) fire(`${name}.far`, far);
  };
  topic.frame.forEach((c, k) => nearOrFar(`frame.${c.id}`, frame.map((perCategory) => perCategory[k] ?? [])));
  const defenseEntities = sentences.map((s) => s.mentions.filter((m) => m.entity.defense).map((m) => m.entity.name));
  nearOrFar("frame.entity", defenseEntities);
  if (all[0] && (breadth(0) > 0 || (defenseEntities[0] ?? []).length > 0)) fire("frame.headline", [...(frame[0]?.flat() ?? []), ...(defenseEntities[0] ?? [])]);

  topic.context.forEach((c, k) => {
    const inEvidence = evidence < 0 ? [] : (context[evidence]?.[k] ?? []).map((m) => m.text);
    if (unique(inEvidence).length >= DENSE_TERMS) fire(`context.${c.id}.dense`, inEvidence);
    if (inEvidence.length > 0) return fire(`context.${c.id}.evidence`, inEvidence);
    const elsewhere = sentences.flatMap((_, i) => (context[i]?.[k] ?? []).map((m) => m.text));
    if (elsewhere.length > 0) fire(`context.${c.id}.elsewhere`, elsewhere);
  });

  const thirdInHeadline = termsIn(topic.thirdParties, sentences[0]?.text ?? "");
  if (thirdInHeadline.length > 0) fire("third.headline", thirdInHeadline);
  const thirdInEvidence = evidence < 0 ? [] : termsIn(topic.thirdParties, sentences[evidence]?.text ?? "");
  if (thirdInEvidence.length > 0) fire("third.evidence", thirdInEvidence);

  const termsOfCategory = (i: number, id: string): string[] => {
    if (id === THIRD_PARTY) return termsIn(topic.thirdParties, sentences[i]?.text ?? "");
    const f = topic.frame.findIndex((c) => c.id === id);
    if (f >= 0) return frame[i]?.[f] ?? [];
    const c = topic.context.findIndex((cat) => cat.id === id);
    return c >= 0 ? (context[i]?.[c] ?? []).map((m) => m.text) : [];
  };
  for (const conjunction of topic.conjunctions) {
    for (const i of new Set([0, evidence].filter((n) => n >= 0))) {
      const terms = conjunction.categories.map((id) => termsOfCategory(i, id));
      if (terms.some((t) => t.length === 0)) continue;
      fire(`both.${conjunction.id}`, terms.flat());
      break;
    }
  }

  let relation: string | null = null;
  for (const r of evidence < 0 ? [] : topic.relations) {
    const cues = outsideContext(findTerms(r.matcher, sentences[evidence]?.text ?? ""), evidence);
    if (cues.length === 0) continue;
    relation = r.id;
    fire(`relation.${r.id}`, cues);
    break;
  }
  return { missing, named, hits, evidence, relation };
}
