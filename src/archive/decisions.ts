/**
 * What the pipeline decided about each archived story, kept beside the items
 * for the same span: the classify stage's verdict (`c:<story>`, every story)
 * and the dedupe stage's verdict with the alert jobs it added (`d:<story>`,
 * relevant stories only). A retried stage writes the same fields again, so a
 * repeat changes nothing. Written to the hash of the day they are decided;
 * readers look in every day from the story's first sighting on.
 */
import { z } from "zod";
import { parseJsonAs } from "../json-as.js";
import { Dedupe, type Classification } from "../model/index.js";

export const ClassifiedRecord = z.object({
  relevant: z.boolean(),
  score: z.number(),
  topics: z.array(z.string()).default([]),
  relation: z.string().nullable().default(null),
});
export type ClassifiedRecord = z.infer<typeof ClassifiedRecord>;

export const DedupedRecord = Dedupe.pick({ verdict: true, cluster: true, of: true, score: true }).extend({
  /** The topics the story was relevant to (replay --topic compares only their alerts). */
  topics: z.array(z.string()),
  /** The alert the verdict called for, or null. */
  kind: z.enum(["new", "follow-up"]).nullable(),
  /** One alert job per channel that wanted the alert (job id = delivery id, alerts/enqueue.ts alertJobId). */
  alerts: z.array(z.object({ channel: z.string(), job: z.string() })),
});
export type DedupedRecord = z.infer<typeof DedupedRecord>;

export interface Decisions {
  classified: ClassifiedRecord | null;
  deduped: DedupedRecord | null;
}

export const classifiedField = (storyId: string) => `c:${storyId}`;
export const dedupedField = (storyId: string) => `d:${storyId}`;

/** A classification as stored: only what replay and explain show, and the rest of an irrelevant one left out. */
export function classifiedValue(c: Classification): string {
  const score = Math.round(c.score * 1000) / 1000;
  if (!c.relevant) return JSON.stringify({ relevant: false, score });
  return JSON.stringify({ relevant: true, score, topics: c.topics, relation: c.relation });
}

/** A stored record, or null when absent or unreadable (a reader shows "not recorded" rather than failing). */
export const parseClassified = (value: string | null | undefined) => parseJsonAs(ClassifiedRecord, value);
export const parseDeduped = (value: string | null | undefined) => parseJsonAs(DedupedRecord, value);
