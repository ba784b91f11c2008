/**
 * Topic config: everything the classifier knows about a topic is data, so a
 * user adds a topic (say, Russia–North Korea arms) by config alone.
 *
 * Terms are phrases matched case-insensitively on word boundaries; a trailing
 * `*` matches any word ending ("sanction*"). Aliases and terms written in
 * capitals (PLA, IRGC, UAV) match only in capitals, so "pla" in running text
 * is not the PLA. Military vocabulary comes from the built-in lexicon and the
 * weights from a learned model, so a topic needs only its sides and a few
 * keywords of its own.
 */
import { z } from "zod";
import { EntityType } from "../../model/classification.js";

/** A gazetteer entry: one canonical entity and the ways text names it. */
export const GazetteerEntry = z.strictObject({
  name: z.string().min(1).describe("Canonical name"),
  type: EntityType.default("other"),
  aliases: z.array(z.string().min(1)).default([]).describe("Other names, demonyms, titles, misspellings, other scripts"),
  defense: z
    .boolean()
    .default(false)
    .describe("A defense actor (armed force, defense official, weapons system): naming it is defense evidence, as a lexicon term is"),
});
export type GazetteerEntry = z.infer<typeof GazetteerEntry>;

/** One side of the relation (e.g. Iran): every side must be named for a story to be on topic. */
export const ActorSide = z.strictObject({
  side: z.string().min(1).describe("Name of the side, used in reasons"),
  entities: z.array(GazetteerEntry).min(1).describe("Entities that stand for this side: the country, its forces, officials, ports"),
});
export type ActorSide = z.infer<typeof ActorSide>;

const Terms = z.array(z.string().min(1)).min(1);

/** A group of terms: the topic's own vocabulary beside the built-in lexicon, or a context that argues against it. */
export const TermGroup = z.strictObject({
  id: z.string().min(1),
  weight: z
    .number()
    .optional()
    .describe("Deprecated and unused: weights are learned (newswatch train); kept so that older configs still load"),
  terms: Terms,
});
export type TermGroup = z.infer<typeof TermGroup>;

/** A kind of story within the topic (visit, exercise, transfer …), recognised by cue terms in the evidence sentence. */
export const RelationKind = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, "lower-case letters, digits and - only"),
  label: z.string().min(1),
  weight: z.number().optional().describe("Deprecated and unused: a relation cue's weight is learned"),
  cues: Terms,
});
export type RelationKind = z.infer<typeof RelationKind>;

/** Hand-set rule weights of versions before learned models: accepted and ignored, so older configs load. */
const LegacyWeights = z.record(z.string(), z.number()).describe("Deprecated and unused: weights are learned (newswatch train)");

export const TopicSection = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, "lower-case letters, digits and - only"),
  name: z.string().min(1),
  actors: z.array(ActorSide).min(1).describe("The sides of the relation (e.g. Iran, China)"),
  entities: z.array(GazetteerEntry).default([]).describe("Other named things worth extracting: places, events, third parties, systems"),
  keywords: z
    .array(z.string().min(1))
    .default([])
    .describe("The topic's own terms, beside the built-in defense lexicon (config/lexicon/defense.yaml)"),
  frame: z.array(TermGroup).default([]).describe("More of the topic's own terms, in named groups; they count as keywords"),
  against: z
    .array(TermGroup)
    .default([])
    .describe("Terms whose context argues against the topic (its own, beside the lexicon's economy, diplomacy … contexts)"),
  relations: z
    .array(RelationKind)
    .default([])
    .describe("Kinds of story within the topic, in priority order (default: the lexicon's): the first whose cues stand in the evidence sentence names the relation"),
  model: z
    .string()
    .optional()
    .describe("Learned weights (JSON written by newswatch train); default models/<topic id>.json beside the config when it exists, else the built-in model"),
  weights: LegacyWeights.optional(),
  threshold: z.number().min(0).max(1).optional().describe("Score at or above which a story is relevant (default: the model's, fitted by train)"),
});
export type TopicSection = z.infer<typeof TopicSection>;
