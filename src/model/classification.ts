/** What the classifier says of a story: relevance, topics, entities and why. */
import { z } from "zod";

export const EntityType = z.enum(["person", "country", "org", "place", "other"]);
export type EntityType = z.infer<typeof EntityType>;

export const Entity = z.object({ name: z.string(), type: EntityType });
export type Entity = z.infer<typeof Entity>;

export const Classification = z.object({
  relevant: z.boolean(),
  score: z.number().min(0).max(1),
  topics: z.array(z.string()),
  entities: z.array(Entity),
  reasons: z.array(z.string()),
  evidence: z.string().nullable().default(null),
  relation: z.string().nullable().default(null),
});
export type Classification = z.infer<typeof Classification>;
