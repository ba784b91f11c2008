/**
 * Reading the archive back, for replay and explain: items in the order the
 * streams hold them (the order Redis received them, across every process
 * that polled), one copy per story id, and the decisions recorded about them.
 * Entries are read in pages, so a read holds one page in memory at a time.
 */
import type { RedisClient } from "../queues/connection.js";
import type { Story } from "../model/index.js";
import { dedupedField, classifiedField, parseClassified, parseDeduped, type Decisions, type DedupedRecord } from "./decisions.js";
import { daysBetween, decidedKey, itemsKey } from "./keys.js";
import { batchItems, decodeBatch, type ArchivedItem } from "./record.js";
import { coerceError } from "../errors.js";

/** First-seen times, inclusive. */
export interface TimeRange {
  from: number;
  to: number;
}

export interface ReadOptions {
  /** Called for an entry that cannot be decoded (it is skipped). */
  onBadEntry?: (key: string, id: string, err: Error) => void;
  /** Called after each entry with the number of entries read so far. */
  onEntry?: (read: number) => void;
  /** Entries per XRANGE page. @defaultValue 100 */
  pageSize?: number;
}

type RawEntry = [Buffer, Buffer[]];

function field(fields: Buffer[], name: string): Buffer | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i]?.toString() === name) return fields[i + 1];
  return undefined;
}

/** The entries of one stream, oldest first (or newest first), a page at a time. */
async function* entries(redis: RedisClient, key: string, newestFirst: boolean, pageSize: number): AsyncGenerator<RawEntry> {
  let bound = newestFirst ? "+" : "-";
  for (;;) {
    const page = (newestFirst
      ? await redis.xrevrangeBuffer(key, bound, "-", "COUNT", pageSize)
      : await redis.xrangeBuffer(key, bound, "+", "COUNT", pageSize)) as unknown as RawEntry[];
    yield* page;
    const last = page[page.length - 1];
    if (page.length < pageSize || !last) return;
    bound = `(${last[0].toString()}`;
  }
}

/** The decoded batches of the days in `range` whose first-seen time is in it. */
async function* batches(redis: RedisClient, prefix: string, range: TimeRange, newestFirst: boolean, options: ReadOptions): AsyncGenerator<ArchivedItem[]> {
  const days = daysBetween(range.from, range.to);
  if (newestFirst) days.reverse();
  let read = 0;
  for (const day of days) {
    const key = itemsKey(prefix, day);
    for await (const [id, fields] of entries(redis, key, newestFirst, options.pageSize ?? 100)) {
      options.onEntry?.(++read);
      const seen = Number(field(fields, "t")?.toString());
      const data = field(fields, "z");
      if (!(seen >= range.from && seen <= range.to)) continue;
      try {
        if (!data) throw new Error("archive: entry has no z field");
        yield batchItems(await decodeBatch(data));
      } catch (err) {
        options.onBadEntry?.(key, id.toString(), coerceError(err));
      }
    }
  }
}

/** Entries (classify jobs, not stories) held for the days of `range`: what a progress bar counts. */
export async function countEntries(redis: RedisClient, prefix: string, range: TimeRange): Promise<number> {
  const pipe = redis.pipeline();
  for (const day of daysBetween(range.from, range.to)) pipe.xlen(itemsKey(prefix, day));
  const results = (await pipe.exec()) ?? [];
  return results.reduce((sum, [, n]) => sum + (typeof n === "number" ? n : 0), 0);
}

/** Archived items first seen in `range`, oldest first, each story once (a retried poll archives its stories again). */
export async function* readArchive(redis: RedisClient, prefix: string, range: TimeRange, options: ReadOptions = {}): AsyncGenerator<ArchivedItem> {
  const seen = new Set<string>();
  for await (const items of batches(redis, prefix, range, false, options)) {
    for (const item of items) {
      if (seen.has(item.story.id)) continue;
      seen.add(item.story.id);
      yield item;
    }
  }
}

/** The most recent archived item that `match` accepts, or null. */
export async function findArchived(redis: RedisClient, prefix: string, range: TimeRange, match: (story: Story) => boolean, options: ReadOptions = {}): Promise<ArchivedItem | null> {
  for await (const items of batches(redis, prefix, range, true, options)) {
    const found = items.find((item) => match(item.story));
    if (found) return found;
  }
  return null;
}

/** Every dedupe record decided in `range` (relevant stories only, so few), by story id. */
export async function readDedupedRecords(redis: RedisClient, prefix: string, range: TimeRange): Promise<Map<string, DedupedRecord>> {
  const out = new Map<string, DedupedRecord>();
  for (const day of daysBetween(range.from, range.to)) {
    const stream = redis.hscanStream(decidedKey(prefix, day), { match: "d:*", count: 1000 });
    for await (const pairs of stream as AsyncIterable<string[]>) {
      for (let i = 0; i + 1 < pairs.length; i += 2) {
        const record = parseDeduped(pairs[i + 1]);
        if (record) out.set((pairs[i] as string).slice(2), record);
      }
    }
  }
  return out;
}

/** What was decided about one story, looked up in every day of `range` (the latest record wins). */
export async function readDecisions(redis: RedisClient, prefix: string, storyId: string, range: TimeRange): Promise<Decisions> {
  const pipe = redis.pipeline();
  for (const day of daysBetween(range.from, range.to)) pipe.hmget(decidedKey(prefix, day), classifiedField(storyId), dedupedField(storyId));
  const results = (await pipe.exec()) ?? [];
  const decisions: Decisions = { classified: null, deduped: null };
  for (const [err, reply] of results) {
    if (err) throw new Error(`archive: reading the decisions on story ${storyId}: ${err.message}`, { cause: err });
    const [c, d] = reply as (string | null)[];
    decisions.classified = parseClassified(c) ?? decisions.classified;
    decisions.deduped = parseDeduped(d) ?? decisions.deduped;
  }
  return decisions;
}
