/** A normalised feed item: what every stage after poll works on. */
import { z } from "zod";

export const Story = z.object({
  id: z.string().regex(/^[a-f0-9]{16,64}$/, "hex item identity"),
  feedUrl: z.string(),
  source: z.string(),
  title: z.string(),
  description: z.string(),
  link: z.string().nullable(),
  /** ISO 8601 UTC; the first-seen time when the feed gives no date. */
  published: z.string(),
  author: z.string().nullable().default(null),
  categories: z.array(z.string()).default([]),
  enclosures: z.array(z.string()).default([]),
  /** Fields cut to their caps (config `limits`) when the feed was parsed. */
  truncated: z.array(z.string()).default([]),
});
export type Story = z.infer<typeof Story>;
