/** References fingerprinted the same way as stories, at start-up: the event layer's known clusters. */
import { extractEntities, buildGazetteer } from "../classify/entities.js";
import type { Config } from "../config/schema.js";
import type { ReferenceSeed } from "./decide.js";
import { fingerprint, type Vocabulary } from "./fingerprint.js";
import { loadReference, type Reference } from "../reference/reference.js";

export function referenceSeed(ref: Reference, vocab: Vocabulary): ReferenceSeed {
  const time = Date.parse(ref.date);
  const fp = fingerprint(
    { id: ref.id, time, title: ref.title, description: ref.summary, entities: ref.entities, topics: ref.topics },
    vocab,
  );
  return { id: ref.id, first: time, last: time, features: fp.features, knownEvent: ref.id };
}

/** Loads and fingerprints every configured reference; plain-text ones get the classifier's entities. */
export function loadReferenceSeeds(config: Config, vocab: Vocabulary): ReferenceSeed[] {
  const gazetteer = buildGazetteer(config.topics);
  return config.reference.map((file) => referenceSeed(loadReference(file, (text) => extractEntities(text, gazetteer)), vocab));
}
