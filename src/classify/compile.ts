/**
 * Turns a topic's config into matchers once: one regex per term group and
 * relation kind, and a map from entity to side. Memoised per topics array,
 * so per-story work is only running regexes.
 */
import type { TopicSection, TopicWeights } from "../config/sections/topics.js";
import { compilePhrases } from "./terms.js";

export interface CompiledGroup {
  id: string;
  weight: number;
  pattern: RegExp;
}

export interface CompiledRelation {
  id: string;
  label: string;
  weight: number;
  pattern: RegExp;
}

export interface CompiledTopic {
  id: string;
  name: string;
  threshold: number;
  weights: TopicWeights;
  sides: string[];
  /** Canonical entity name → index of its side. */
  sideOf: Map<string, number>;
  frame: CompiledGroup[];
  against: CompiledGroup[];
  relations: CompiledRelation[];
}

const group = (g: { id: string; weight: number; terms: string[] }): CompiledGroup => ({
  id: g.id,
  weight: g.weight,
  pattern: compilePhrases(g.terms),
});

export function compileTopic(topic: TopicSection): CompiledTopic {
  const sideOf = new Map<string, number>();
  topic.actors.forEach((side, i) => {
    for (const entity of side.entities) if (!sideOf.has(entity.name)) sideOf.set(entity.name, i);
  });
  return {
    id: topic.id,
    name: topic.name,
    threshold: topic.threshold,
    weights: topic.weights,
    sides: topic.actors.map((a) => a.side),
    sideOf,
    frame: topic.frame.map(group),
    against: topic.against.map(group),
    relations: topic.relations.map((r) => ({ id: r.id, label: r.label, weight: r.weight ?? topic.weights.relationCue, pattern: compilePhrases(r.cues) })),
  };
}

const cache = new WeakMap<readonly TopicSection[], CompiledTopic[]>();

export function compileTopics(topics: readonly TopicSection[]): CompiledTopic[] {
  let compiled = cache.get(topics);
  if (!compiled) {
    compiled = topics.map(compileTopic);
    cache.set(topics, compiled);
  }
  return compiled;
}
