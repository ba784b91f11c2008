/**
 * Turns a topic's config, the built-in lexicon and the topic's learned model
 * into matchers once: a term table (terms.ts) per lexicon category, for the
 * topic's own terms and against terms, each relation kind and the
 * third-party countries. Memoised per topics array, so per-story work is only
 * looking words up.
 */
import type { TopicSection } from "../config/sections/topics.js";
import { builtinLexicon, type Lexicon, type LexiconConjunction } from "./lexicon.js";
import { BUILTIN_MODEL_PATH, readModel, type Model } from "./model.js";
import { compileTerms, phraseKey, type TermMatcher } from "./terms.js";

export interface CompiledCategory {
  id: string;
  matcher: TermMatcher;
}

export interface CompiledRelation {
  id: string;
  label: string;
  matcher: TermMatcher;
}

export interface CompiledTopic {
  id: string;
  name: string;
  sides: string[];
  /** Canonical entity name → index of its side. */
  sideOf: Map<string, number>;
  /** Defense vocabulary: the lexicon's frame categories, then the topic's own terms as "topic". */
  frame: CompiledCategory[];
  /** Contexts that argue against the topic: the lexicon's, then the topic's own as "topic". */
  context: CompiledCategory[];
  relations: CompiledRelation[];
  conjunctions: LexiconConjunction[];
  /** Countries other than the topic's sides. */
  thirdParties: TermMatcher;
}

/** A compiled topic with the learned weights that score its features. */
export interface ScoredTopic extends CompiledTopic {
  model: Model;
  threshold: number;
  titleThreshold: number;
}

const category = (id: string, terms: readonly string[]): CompiledCategory => ({ id, matcher: compileTerms(terms) });

/** Lexicon countries whose names do not name one of the topic's sides. */
function thirdPartyTerms(topic: TopicSection, lexicon: Lexicon): string[] {
  const sideKeys = new Set(topic.actors.flatMap((a) => a.entities.flatMap((e) => [e.name, ...e.aliases].map(phraseKey))));
  return lexicon.countries
    .filter((c) => ![c.name, ...c.aliases].some((alias) => sideKeys.has(phraseKey(alias))))
    .flatMap((c) => [c.name, ...c.aliases]);
}

export function compileTopic(topic: TopicSection, lexicon: Lexicon = builtinLexicon()): CompiledTopic {
  const sideOf = new Map<string, number>();
  topic.actors.forEach((side, i) => {
    for (const entity of side.entities) if (!sideOf.has(entity.name)) sideOf.set(entity.name, i);
  });
  const own = [...topic.keywords, ...topic.frame.flatMap((g) => g.terms)];
  const against = topic.against.flatMap((g) => g.terms);
  const relations = topic.relations.length > 0 ? topic.relations : lexicon.relations;
  return {
    id: topic.id,
    name: topic.name,
    sides: topic.actors.map((a) => a.side),
    sideOf,
    frame: [
      ...lexicon.categories.filter((c) => c.kind === "frame").map((c) => category(c.id, c.terms)),
      ...(own.length > 0 ? [category("topic", own)] : []),
    ],
    context: [
      ...lexicon.categories.filter((c) => c.kind === "context").map((c) => category(c.id, c.terms)),
      ...(against.length > 0 ? [category("topic", against)] : []),
    ],
    relations: relations.map((r) => ({ id: r.id, label: r.label, matcher: compileTerms(r.cues) })),
    conjunctions: lexicon.conjunctions,
    thirdParties: compileTerms(thirdPartyTerms(topic, lexicon)),
  };
}

/** The topic with its model: the file the config names (resolved by the loader), else the built-in one. */
export function scoredTopic(topic: TopicSection, lexicon: Lexicon = builtinLexicon()): ScoredTopic {
  const model = readModel(topic.model ?? BUILTIN_MODEL_PATH);
  return {
    ...compileTopic(topic, lexicon),
    model,
    threshold: topic.threshold ?? model.threshold,
    titleThreshold: topic.threshold ?? model.titleThreshold,
  };
}

const cache = new WeakMap<readonly TopicSection[], ScoredTopic[]>();

export function compileTopics(topics: readonly TopicSection[]): ScoredTopic[] {
  let compiled = cache.get(topics);
  if (!compiled) {
    compiled = topics.map((t) => scoredTopic(t));
    cache.set(topics, compiled);
  }
  return compiled;
}
