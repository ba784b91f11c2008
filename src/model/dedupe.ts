/** What the deduplicator says of a story: repeat, same event, known event or new. */
import { z } from "zod";

export const Verdict = z.enum(["new", "duplicate", "same-event", "known-event"]);
export type Verdict = z.infer<typeof Verdict>;

export const Dedupe = z.object({
  verdict: Verdict,
  /** Shared by every story of one event: the first story's id, or the reference id. */
  cluster: z.string(),
  /** The story this one repeats, if any. */
  of: z.string().nullable().default(null),
  score: z.number(),
  entities: z.array(z.string()),
  knownEvent: z.string().nullable().default(null),
  alsoReportedBy: z.array(z.string()).default([]),
});
export type Dedupe = z.infer<typeof Dedupe>;
