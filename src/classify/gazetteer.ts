/**
 * The gazetteer: every entity the topic config names (actors' countries,
 * forces, officials and ports, plus places, events and systems), compiled
 * into one regex so that finding them costs one pass over the text.
 */
import type { GazetteerEntry, TopicSection } from "../config/sections/topics.js";
import type { Entity } from "../model/index.js";
import { compilePhrases, matchAll, phraseKey } from "./terms.js";

export interface GazetteerRecord extends Entity {
  /** True when some topic lists the entity as one of its actors' sides. */
  actor: boolean;
  /** True when some topic marks the entity as a defense actor. */
  defense: boolean;
}

export interface Gazetteer {
  pattern: RegExp;
  /** phraseKey(alias) → the entity, plus the exact spelling for aliases that only match in capitals. */
  byKey: Map<string, { record: GazetteerRecord; exact: string | null }>;
}

export interface Mention {
  entity: GazetteerRecord;
  start: number;
  end: number;
}

/** Acronyms (PLA, IRGC, PRC) match only in capitals, or "pla" inside ordinary text would count. */
function isAcronym(alias: string): boolean {
  return /^[A-Z0-9]{2,6}$/.test(alias);
}

const cache = new WeakMap<readonly TopicSection[], Gazetteer>();

/** Builds (once per topics array) the gazetteer of every entity the topics name. */
export function buildGazetteer(topics: readonly TopicSection[]): Gazetteer {
  const cached = cache.get(topics);
  if (cached) return cached;
  const byKey: Gazetteer["byKey"] = new Map();
  const records = new Map<string, GazetteerRecord>();
  const add = (entry: GazetteerEntry, actor: boolean) => {
    // The same entity named by two topics keeps one record: first type wins, actor and defense status accumulate.
    const record = records.get(entry.name) ?? { name: entry.name, type: entry.type, actor, defense: entry.defense };
    record.actor ||= actor;
    record.defense ||= entry.defense;
    records.set(entry.name, record);
    for (const alias of [entry.name, ...entry.aliases]) {
      const key = phraseKey(alias);
      if (!byKey.has(key)) byKey.set(key, { record, exact: isAcronym(alias) ? alias : null });
    }
  };
  for (const topic of topics) {
    for (const side of topic.actors) for (const entry of side.entities) add(entry, true);
    for (const entry of topic.entities) add(entry, false);
  }
  const gazetteer = { pattern: compilePhrases([...byKey.keys()].map(aliasPhrase(byKey))), byKey };
  cache.set(topics, gazetteer);
  return gazetteer;
}

/** The phrase to compile for a key: the alias as written, so that boundaries follow its script. */
function aliasPhrase(byKey: Gazetteer["byKey"]): (key: string) => string {
  return (key) => byKey.get(key)?.exact ?? key;
}

/** Every gazetteer entity named in the text, in order, longest alias winning. */
export function findMentions(text: string, gazetteer: Gazetteer): Mention[] {
  const out: Mention[] = [];
  for (const m of matchAll(gazetteer.pattern, text)) {
    const hit = gazetteer.byKey.get(phraseKey(m.text));
    if (!hit) continue;
    if (hit.exact !== null && m.text !== hit.exact) continue;
    out.push({ entity: hit.record, start: m.start, end: m.end });
  }
  return out;
}
