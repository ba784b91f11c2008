/**
 * Entity extraction: the cheap gazetteer first (canonical names from the
 * topic config: "President Raisi" and "Ebrahim Raisi" are one Ebrahim Raisi),
 * then general NER only when the gazetteer found an actor, for the names the
 * config does not know. The dedupe stage fingerprints stories by these, and
 * reference events by the same path (sentenceEntities), so a story and the
 * reference it repeats yield the same entities from the same text.
 */
import type { Entity } from "../model/index.js";
import type { SentenceView } from "./features.js";
import { findMentions, type Gazetteer, type Mention } from "./gazetteer.js";
import { recogniseEntities } from "./ner.js";
import { splitSentences } from "./sentences.js";

export { buildGazetteer, type Gazetteer } from "./gazetteer.js";

export interface StoryText {
  title: string;
  description: string;
}

export interface ExtractOptions {
  /** Run general NER when an actor is found. @defaultValue true */
  ner?: boolean;
}

/** Canonical entities in order of first mention, one per name. */
function entitiesOf(mentions: readonly Mention[]): Entity[] {
  const seen = new Map<string, Entity>();
  for (const m of mentions) if (!seen.has(m.entity.name)) seen.set(m.entity.name, { name: m.entity.name, type: m.entity.type });
  return [...seen.values()];
}

/**
 * Adds NER entities the gazetteer does not already cover: a span that names
 * a known entity (e.g. "Minister Wei Fenghe"), or is one word of a known
 * name, is that entity, not a new one.
 */
function withNer(known: Entity[], text: string, gazetteer: Gazetteer): Entity[] {
  const out = [...known];
  const names = new Set(known.map((e) => e.name.toLowerCase()));
  const isPartOfKnown = (name: string) => !name.includes(" ") && [...names].some((n) => n.split(" ").includes(name));
  for (const entity of recogniseEntities(text)) {
    const lower = entity.name.toLowerCase();
    // "Shahram" beside a known "Shahram Irani" is that person, not another.
    if (names.has(lower) || isPartOfKnown(lower)) continue;
    if (findMentions(entity.name, gazetteer).length > 0) continue;
    names.add(entity.name.toLowerCase());
    out.push(entity);
  }
  return out;
}

/** A story's sentences (sentences.ts), each with the gazetteer's mentions in it. */
export function storySentences(text: StoryText, gazetteer: Gazetteer): SentenceView[] {
  return splitSentences(text.title, text.description).map((s) => ({ text: s, mentions: findMentions(s, gazetteer) }));
}

/**
 * The text NER reads: the sentences joined, each ending as a sentence does
 * (a headline has no full stop), so a name at the end of one does not run
 * into the capitalised start of the next.
 */
export function entityText(sentences: readonly string[]): string {
  return sentences.map((s) => (/[.!?]["'”’)]?$/.test(s) ? s : `${s}.`)).join(" ");
}

/** Entities of a story's sentences: the gazetteer's, then NER's when an actor is named. */
export function sentenceEntities(sentences: readonly SentenceView[], gazetteer: Gazetteer, options: ExtractOptions = {}): Entity[] {
  const mentions = sentences.flatMap((s) => s.mentions);
  const known = entitiesOf(mentions);
  if (options.ner === false || !mentions.some((m) => m.entity.actor)) return known;
  return withNer(known, entityText(sentences.map((s) => s.text)), gazetteer);
}

export function extractEntities(text: StoryText, gazetteer: Gazetteer, options: ExtractOptions = {}): Entity[] {
  return sentenceEntities(storySentences(text, gazetteer), gazetteer, options);
}
