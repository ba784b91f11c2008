/**
 * A story's fingerprint for both layers: a MinHash signature of its word
 * pairs (same story) and a weighted feature set of its content words,
 * entities and topics (same event).
 *
 * Weights say how much a shared feature tells about the event. Every story of
 * a topic names its actors' countries and forces (Iran, China, the PLA …), so
 * those names and their aliases count little; a named person counts most,
 * then organisations and places, then other countries.
 *
 * Features are words and names of any length and alphabet, so what leaves
 * the process never holds them raw: the stores key their index and keep the
 * first story's features by `featureKey` (12 hex digits of SHA-1), and
 * `dedupeStory` compares a story with stored clusters in that hashed form
 * (`hashedFingerprint`), whose `names` give the verdict its readable names.
 * 48 bits make a collision between two features of two compared stories
 * about 10^-14 likely; one would only add a little to their similarity.
 */
import { hash } from "node:crypto";
import type { TopicSection } from "../config/sections/topics.js";
import type { Entity } from "../model/index.js";
import { bandKeys, shingles, signature } from "./minhash.js";
import { contentTerms, normalise, words } from "./text.js";

export const WEIGHTS = {
  term: 1,
  actor: 0.2,
  topic: 0.3,
  entity: { person: 2, org: 1.5, place: 1.5, other: 1.5, country: 1 } satisfies Record<Entity["type"], number>,
} as const;

/** What the topics make common: their actors' names and aliases, as entity names and as words. */
export interface Vocabulary {
  actorEntities: ReadonlySet<string>;
  actorTerms: ReadonlySet<string>;
}

export function buildVocabulary(topics: readonly TopicSection[]): Vocabulary {
  const actorEntities = new Set<string>();
  const actorTerms = new Set<string>();
  for (const topic of topics) {
    for (const side of topic.actors) {
      // The sides' countries and forces are in nearly every story; their people and ports are not.
      for (const entry of side.entities.filter((e) => e.type === "country" || e.type === "org")) {
        actorEntities.add(entityKey(entry.name));
        for (const name of [entry.name, ...entry.aliases]) for (const t of contentTerms(name)) actorTerms.add(t);
      }
    }
  }
  return { actorEntities, actorTerms };
}

export interface StoryInput {
  id: string;
  /** Epoch milliseconds (the story's publication time). */
  time: number;
  title: string;
  description: string;
  entities: readonly Entity[];
  topics: readonly string[];
}

export interface Fingerprint {
  id: string;
  time: number;
  /** feature → weight; entity features start with "@", topics with "#". */
  features: Map<string, number>;
  signature: number[];
  /** LSH buckets; empty for a story without words. */
  bands: string[];
  /** Entity names, for reports. */
  entities: string[];
  /** Set by `hashedFingerprint`: feature key → the feature it hashes. */
  names?: ReadonlyMap<string, string>;
}

/** Entity names as feature keys: normalised, spaces to "_". */
export function entityKey(name: string): string {
  return normalise(name).trim().replace(/\s+/g, "_");
}

export function fingerprint(story: StoryInput, vocab: Vocabulary): Fingerprint {
  const text = `${story.title}\n${story.description}`;
  const features = new Map<string, number>();
  for (const term of contentTerms(text)) features.set(term, vocab.actorTerms.has(term) ? WEIGHTS.actor : WEIGHTS.term);
  for (const e of story.entities) {
    const key = entityKey(e.name);
    features.set(`@${key}`, vocab.actorEntities.has(key) ? WEIGHTS.actor : WEIGHTS.entity[e.type]);
  }
  for (const topic of story.topics) features.set(`#${topic}`, WEIGHTS.topic);
  const hashes = shingles(words(text));
  const sig = signature(hashes);
  return {
    id: story.id,
    time: story.time,
    features,
    signature: sig,
    bands: hashes.size === 0 ? [] : bandKeys(sig),
    entities: story.entities.map((e) => e.name),
  };
}

/**
 * The features worth indexing, most telling first: a story can only join a
 * cluster whose first story shares one of them. Ties go to longer features,
 * which are rarer words.
 */
export function indexFeatures(features: ReadonlyMap<string, number>, limit: number): string[] {
  return [...features]
    .filter(([, w]) => w >= WEIGHTS.term)
    .sort((a, b) => b[1] - a[1] || b[0].length - a[0].length || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([f]) => f);
}

/** Characters that would split a token or its weight: escaped as `%` and 4 hex digits. */
const UNSAFE = /[%*\s]/g;
const ESCAPED = /%([0-9a-f]{4})/g;

/**
 * `feature*weight` tokens (weight omitted when 1), space-separated. Any
 * feature survives the round trip; the stores are given hashed ones
 * (`storedFeatures`), which need no escaping.
 */
export function encodeFeatures(features: ReadonlyMap<string, number>): string {
  return [...features]
    .map(([f, w]) => {
      const token = f.replace(UNSAFE, (c) => `%${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
      return w === 1 ? token : `${token}*${w}`;
    })
    .join(" ");
}

export function decodeFeatures(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const token of text.split(" ")) {
    if (!token) continue;
    const star = token.lastIndexOf("*");
    const raw = star < 0 ? token : token.slice(0, star);
    // Stored features are hashed and never escaped: skip the pattern on the lookup's hot path.
    const name = raw.includes("%") ? raw.replace(ESCAPED, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : raw;
    out.set(name, star < 0 ? 1 : Number(token.slice(star + 1)));
  }
  return out;
}

/** Length of a feature key. */
export const FEATURE_KEY_LENGTH = 12;

/** Feature keys computed lately: a topic's stories share most of their words, and eval replays the same stories many times. */
const KEY_CACHE = 50_000;
const keyCache = new Map<string, string>();

/** A feature as the stores key and keep it: fixed length, whatever the word or name. */
export function featureKey(feature: string): string {
  let key = keyCache.get(feature);
  if (key === undefined) {
    key = hash("sha1", feature, "hex").slice(0, FEATURE_KEY_LENGTH);
    // Emptied when full rather than kept in LRU order: refilling costs one hash per feature.
    if (keyCache.size >= KEY_CACHE) keyCache.clear();
    keyCache.set(feature, key);
  }
  return key;
}

export function hashFeatures(features: ReadonlyMap<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [f, w] of features) out.set(featureKey(f), w);
  return out;
}

/** An encoded feature list (`encodeFeatures`) re-encoded with hashed features, as a store keeps it. */
export function storedFeatures(encoded: string): string {
  return encodeFeatures(hashFeatures(decodeFeatures(encoded)));
}

/** A feature as people read it: an entity in its own spelling, a topic without its "#". */
export function readableFeature(feature: string, entities: readonly string[]): string {
  if (feature.startsWith("#")) return feature.slice(1);
  if (!feature.startsWith("@")) return feature;
  return entities.find((e) => `@${entityKey(e)}` === feature) ?? feature.slice(1).replace(/_/g, " ");
}

/** The fingerprint in the stores' terms: features keyed by `featureKey`, and `names` to read them back. */
export function hashedFingerprint(fp: Fingerprint): Fingerprint {
  const features = new Map<string, number>();
  const names = new Map<string, string>();
  for (const [f, w] of fp.features) {
    const key = featureKey(f);
    features.set(key, w);
    names.set(key, f);
  }
  return { ...fp, features, names };
}
