/**
 * One archive entry: the stories of one classify job, with the feed they came
 * from and the time the poll first saw them, as deflated JSON. A poll hands
 * on few items at a time, all from one feed, so compressing them together
 * keeps an item at about a third of its JSON size.
 */
import { promisify } from "node:util";
import { deflateRaw, deflateRawSync, inflateRaw } from "node:zlib";
import { z } from "zod";
import { Story } from "../model/index.js";
import { coerceError } from "../errors.js";

const deflate = promisify(deflateRaw);
const inflate = promisify(inflateRaw);

export const ArchivedBatch = z.object({
  v: z.literal(1),
  /** The feed's URL, credentials redacted (as on the classify job). */
  feed: z.string(),
  /** When the poll first saw these stories (ms since the epoch). */
  seen: z.number().int().nonnegative(),
  stories: z.array(Story).min(1),
});
export type ArchivedBatch = z.infer<typeof ArchivedBatch>;

/** One archived story as replay and explain read it. */
export interface ArchivedItem {
  story: Story;
  feed: string;
  seen: number;
}

/** Below this, compressing here costs less than handing the work to another thread. */
const INLINE_BYTES = 32 * 1024;

/**
 * The entry's bytes. The stories were checked when their classify job was
 * added, so they are not checked again here; the reader checks every entry.
 * A large batch is compressed on libuv's thread pool, so the poll's event loop
 * does not wait on it.
 */
export async function encodeBatch(batch: ArchivedBatch): Promise<Buffer> {
  const json = Buffer.from(JSON.stringify(batch));
  return json.length < INLINE_BYTES ? deflateRawSync(json) : deflate(json);
}

export async function decodeBatch(data: Buffer): Promise<ArchivedBatch> {
  let raw: unknown;
  try {
    raw = JSON.parse((await inflate(data)).toString("utf8"));
  } catch (err) {
    throw new Error(`archive: unreadable entry (${coerceError(err).message})`, { cause: err });
  }
  const parsed = ArchivedBatch.safeParse(raw);
  if (!parsed.success) throw new Error(`archive: entry does not match the archive schema: ${parsed.error.issues[0]?.message ?? "?"}`);
  return parsed.data;
}

export function batchItems(batch: ArchivedBatch): ArchivedItem[] {
  return batch.stories.map((story) => ({ story, feed: batch.feed, seen: batch.seen }));
}
