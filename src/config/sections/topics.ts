/**
 * Topic config: everything the classifier knows about a topic is data, so a
 * user adds a topic (say, Russia–North Korea arms) by config alone.
 *
 * Terms are phrases matched case-insensitively on word boundaries; a trailing
 * `*` matches any word ending ("sanction*"). Aliases written in capitals
 * (PLA, IRGC) match only in capitals, so "pla" in running text is not the PLA.
 */
import { z } from "zod";

export const EntityType = z.enum(["person", "country", "org", "place", "other"]);

/** A gazetteer entry: one canonical entity and the ways text names it. */
export const GazetteerEntry = z.strictObject({
  name: z.string().min(1).describe("Canonical name"),
  type: EntityType.default("other"),
  aliases: z.array(z.string().min(1)).default([]).describe("Other names, demonyms, titles, misspellings, other scripts"),
});
export type GazetteerEntry = z.infer<typeof GazetteerEntry>;

/** One side of the relation (e.g. Iran): every side must be named for a story to be on topic. */
export const ActorSide = z.strictObject({
  side: z.string().min(1).describe("Name of the side, used in reasons"),
  entities: z.array(GazetteerEntry).min(1).describe("Entities that stand for this side: the country, its forces, officials, ports"),
});
export type ActorSide = z.infer<typeof ActorSide>;

const Terms = z.array(z.string().min(1)).min(1);

/** A group of terms with one weight: positive for the topic's frame, negative for contexts that argue against it. */
export const TermGroup = z.strictObject({
  id: z.string().min(1),
  weight: z.number().describe("Log-odds added when a term of the group is found (counted once per group)"),
  terms: Terms,
});
export type TermGroup = z.infer<typeof TermGroup>;

/** A kind of story within the topic (visit, exercise, transfer …), recognised by cue terms in the evidence sentence. */
export const RelationKind = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, "lower-case letters, digits and - only"),
  label: z.string().min(1),
  weight: z.number().optional().describe("Log-odds added when a cue stands in the evidence sentence beside a frame term; default weights.relationCue"),
  cues: Terms,
});
export type RelationKind = z.infer<typeof RelationKind>;

/** Log-odds of the structural rules; the score is the logistic of their sum. */
export const TopicWeights = z.strictObject({
  bias: z.number().default(-3.5).describe("Log-odds before any evidence"),
  missingSide: z.number().default(-6).describe("Added when a side of the relation is not named"),
  sidesInSentence: z.number().default(1).describe("All sides named in one sentence"),
  sidesInTitle: z.number().default(0.5).describe("All sides named in the headline"),
  frameInTitle: z.number().default(0.75).describe("A frame term in a headline that names all sides"),
  relationCue: z.number().default(0.75).describe("A relation cue in the evidence sentence"),
  distantFrame: z.number().min(0).max(1).default(0.4).describe("Share of a frame weight found outside any sentence naming all sides"),
  distantAgainst: z.number().min(0).max(1).default(0.6).describe("Share of an against weight found outside the evidence sentence"),
});
export type TopicWeights = z.infer<typeof TopicWeights>;

export const TopicSection = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, "lower-case letters, digits and - only"),
  name: z.string().min(1),
  actors: z.array(ActorSide).min(1).describe("The sides of the relation (e.g. Iran, China)"),
  entities: z.array(GazetteerEntry).default([]).describe("Other named things worth extracting: places, events, third parties, systems"),
  frame: z.array(TermGroup).min(1).describe("Term groups that put a story in the topic's frame (military, defense …)"),
  against: z.array(TermGroup).default([]).describe("Term groups whose context argues against the topic (oil trade, diplomacy …); use negative weights"),
  relations: z.array(RelationKind).default([]).describe("Kinds of story within the topic, in priority order: the first whose cues stand in the evidence sentence names the relation"),
  weights: TopicWeights.default(TopicWeights.parse({})),
  threshold: z.number().min(0).max(1).default(0.5).describe("Score at or above which a story is relevant"),
});
export type TopicSection = z.infer<typeof TopicSection>;
