import { z } from "zod";

export const EntityType = z.enum(["person", "country", "org", "place", "other"]);

/** A gazetteer entry: one canonical entity and the ways text names it. */
export const GazetteerEntry = z.strictObject({
  name: z.string().min(1).describe("Canonical name"),
  type: EntityType.default("other"),
  aliases: z.array(z.string().min(1)).default([]).describe("Other names, demonyms, misspellings"),
});

export const TopicSection = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, "lower-case letters, digits and - only"),
  name: z.string().min(1),
  /** Every side must be named for a story to be on topic (e.g. Iran and China). */
  actors: z.array(z.array(GazetteerEntry).min(1)).min(1).describe("The sides of the relation; each side a list of entities"),
  frame: z.array(z.string().min(1)).min(1).describe("Words that put a story in the topic's frame (military, defense …)"),
  threshold: z.number().min(0).max(1).default(0.5).describe("Score at or above which a story is relevant"),
});
export type TopicSection = z.infer<typeof TopicSection>;
