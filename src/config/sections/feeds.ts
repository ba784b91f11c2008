import { z } from "zod";
import { Duration } from "../duration.js";

export const FeedEntry = z.strictObject({
  url: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//i.test(u), "only http(s) feed URLs are allowed")
    .describe("Feed URL (http or https)"),
  name: z.string().optional().describe("Display name; defaults to the feed's own title"),
  interval: Duration.optional().describe("Poll interval; defaults to defaults.interval"),
  backfill: z.boolean().default(false).describe("Alert on the items present at the first poll"),
});
export type FeedEntry = z.infer<typeof FeedEntry>;

export const DefaultsSection = z
  .strictObject({
    interval: Duration.default(600_000).describe("Poll interval for feeds that set none"),
    timeout: Duration.default(30_000).describe("Total time allowed for one feed fetch"),
    connectTimeout: Duration.default(10_000).describe("Time allowed to connect to a feed's server"),
    maxBytes: z.number().int().positive().default(10 * 1024 * 1024).describe("Largest feed body accepted"),
    horizon: Duration.default(7 * 86_400_000).describe("Items published before this are remembered and dropped"),
    maxBackoff: Duration.default(6 * 3_600_000).describe("Longest wait between polls of a failing feed (failures back off exponentially up to it)"),
    seenTtl: Duration.default(90 * 86_400_000).describe(
      "How long an item is remembered after it was last in its feed; longer than any feed keeps an item",
    ),
    seenMax: z
      .number()
      .int()
      .min(100)
      .default(10_000)
      .describe("Most items remembered per feed (the longest unseen go first); more than a feed document can hold"),
    itemsPerPoll: z
      .number()
      .int()
      .positive()
      .default(500)
      .describe("Most new items one poll hands on; the rest stay unseen and go with the next polls"),
  })
  .prefault({});

/**
 * Where feeds may be fetched from. Checked on the address a connection
 * actually goes to (after DNS), so DNS rebinding cannot get round it; the
 * ranges and the reasons for them are in feeds/fetch/address-guard.ts. Link-local,
 * metadata, multicast and reserved addresses are refused always; with
 * `blockPrivate: true`, loopback and private ranges too. It is off by default
 * so that feeds served on 127.0.0.1 or the LAN work.
 */
export const NetworkSection = z
  .strictObject({
    blockPrivate: z
      .boolean()
      .default(false)
      .describe("Refuse feeds on loopback and private addresses (link-local and metadata addresses are always refused)"),
  })
  .prefault({});
