/**
 * The archive of recent items (src/archive): every story the poll stage hands
 * to classify, with its feed and first-seen time, and what the pipeline
 * decided about it, kept in Redis for `span` and at most `maxBytes`. It is
 * what `newswatch replay` tries a config on and `newswatch explain` reads.
 */
import { z } from "zod";
import { Duration, withUnit } from "../duration.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** Parses `512kb`, `64MB`, `1gb` (binary units) or a bare number of bytes. */
function parseByteSize(input: string | number): number {
  if (typeof input === "number") return input;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(input);
  if (!m) throw new Error(`invalid size "${input}" (expected e.g. 512kb, 64mb, 1gb)`);
  return Math.round(Number(m[1]) * (SIZE_UNITS[(m[2] ?? "b").toLowerCase()] as number));
}

/** A size in config: `64mb` or a number of bytes; parsed to bytes. */
const ByteSize = withUnit(parseByteSize, "Size: 512kb, 64mb, 1gb (1 kb = 1024 bytes), or bytes");

export const ArchiveSection = z
  .strictObject({
    /**
     * Archive what is polled; off, replay and explain have nothing to read.
     * @defaultValue true
     */
    enabled: z.boolean().default(true).describe("Keep recent items and decisions for newswatch replay and explain"),
    /**
     * How long items are kept. Items are stored in one stream per UTC day,
     * so a day's items go together once the whole day is older than this.
     * @defaultValue 7d
     */
    span: Duration.refine((ms) => ms >= HOUR && ms <= 90 * DAY, "between 1h and 90d")
      .default(7 * DAY)
      .describe("How long archived items are kept (whole UTC days expire together)"),
    /**
     * Compressed item bytes kept at most; past it the oldest entries go first.
     * Redis holds about 1.1 to 1.3 times this (bench/archive.ts).
     * @defaultValue 64mb: 150,000 to 300,000 items (an item compresses to 200
     * to 450 bytes, the fewer a poll hands on at once the more)
     */
    maxBytes: ByteSize.refine((n) => n >= 64 * 1024, "at least 64kb")
      .default(64 * 1024 ** 2)
      .describe("Most compressed item bytes the archive keeps (oldest dropped first)"),
  })
  .prefault({});
export type ArchiveSection = z.infer<typeof ArchiveSection>;
