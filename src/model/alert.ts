/** The one JSON object every channel delivers (webhook body, JSONL line, email data). */
import { z } from "zod";
import { Classification } from "./classification.js";
import { Dedupe } from "./dedupe.js";
import { Story } from "./story.js";

export const Alert = z.object({
  version: z.literal(1),
  kind: z.enum(["new", "follow-up"]).default("new"),
  story: Story.pick({ id: true, title: true, link: true, source: true, published: true, description: true }),
  classification: Classification,
  dedupe: Dedupe,
});
export type Alert = z.infer<typeof Alert>;
