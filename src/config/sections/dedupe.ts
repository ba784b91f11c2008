import { z } from "zod";
import { Duration } from "../duration.js";

export const DedupeSection = z
  .strictObject({
    window: Duration.default(72 * 3_600_000).describe("How long a story can gather later reports of the same event"),
    knownEvents: z
      .enum(["suppress", "follow-up"])
      .default("suppress")
      .describe("What to do with stories about a reference event"),
  })
  .prefault({});
