/**
 * Deduplication settings. The thresholds are the documented decision rule of
 * src/dedupe/decide.ts: a near-copy by MinHash Jaccard, an event by weighted
 * cosine of entity/word fingerprints within the window (scored against a
 * cluster's first story and its profile, discounted by the time gap), and the
 * merge of clusters found to be one event.
 */
import { z } from "zod";
import { Duration } from "../duration.js";

export const DedupeSection = z
  .strictObject({
    window: Duration.default(5 * 86_400_000).describe("How long a story can gather later reports of the same event"),
    margin: Duration.default(24 * 3_600_000).describe("Extra time fingerprints and clusters stay in Redis after the window"),
    knownEvents: z
      .enum(["suppress", "follow-up"])
      .default("suppress")
      .describe("What to do with stories about a reference event"),
    followUpAt: z
      .number()
      .int()
      .min(0)
      .default(5)
      .describe("Send a follow-up alert when a cluster reaches this many stories (0: never)"),
    duplicateThreshold: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe("Estimated word-pair Jaccard at or above which a story is a copy of an earlier one"),
    eventThreshold: z
      .number()
      .min(0)
      .max(1)
      .default(0.18)
      .describe("Weighted cosine to a cluster (its first story or its profile) at or above which a story reports the same event"),
    referenceThreshold: z
      .number()
      .min(0)
      .max(1)
      .default(0.22)
      .describe("Weighted cosine to a reference article at or above which a story reports that known event"),
    mergeThreshold: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe("Score with a second cluster at or above which a story joining one merges the two into one event"),
    halfLife: Duration.default(8 * 86_400_000)
      .describe("Time from an event's first or last report that halves a story's score with it (0: time does not count)"),
    profileSize: z
      .number()
      .int()
      .min(1)
      .max(256)
      .default(64)
      .describe("Features a cluster's profile (its members' summed features) keeps, heaviest first"),
    idfStrength: z
      .number()
      .min(0)
      .max(8)
      .default(6)
      .describe("How much less a feature found in many recently updated clusters counts in a cluster score: its weight / (1 + strength · ln count) (0: off)"),
    disagreement: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe("What the gap between a story's cosine with a cluster's first story and with its profile costs: the better one less this times the gap (0: the better; 0.5: the mean; 1: the lower)"),
  })
  .prefault({});
export type DedupeSection = z.infer<typeof DedupeSection>;
