/**
 * One BullMQ job scheduler per feed, upserted from the config at start-up and
 * removed when the feed leaves it. BullMQ then spreads the polls over every
 * poll worker and keeps one pending poll per feed.
 */
import type { Queue } from "bullmq";
import type { Config } from "../config/schema.js";
import type { FeedEntry } from "../config/sections/feeds.js";
import { hashId } from "../ids.js";
import { JOB_NAMES } from "../queues/names.js";
import { PollJob } from "../queues/payloads.js";

export function schedulerId(feed: Pick<FeedEntry, "url">): string {
  return `feed-${hashId(feed.url)}`;
}

export interface SyncResult {
  upserted: number;
  removed: string[];
}

export async function syncFeedSchedulers(queue: Queue, config: Config): Promise<SyncResult> {
  const wanted = new Map(config.feeds.map((f) => [schedulerId(f), f]));
  for (const [id, feed] of wanted) {
    const every = feed.interval ?? config.defaults.interval;
    // A poll past its interval would overlap the next one; the fetch timeout keeps it shorter.
    await queue.upsertJobScheduler(
      id,
      { every },
      {
        name: JOB_NAMES.poll,
        data: PollJob.parse({ feed }),
        // A failed poll is not retried in place: the feed's own backoff and the next tick handle it.
        opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } },
      },
    );
  }
  const removed: string[] = [];
  for (const existing of await queue.getJobSchedulers(0, -1)) {
    const id = existing.key;
    if (!wanted.has(id)) {
      await queue.removeJobScheduler(id);
      const old = PollJob.safeParse(existing.template?.data);
      removed.push(old.success ? old.data.feed.url : id);
    }
  }
  return { upserted: wanted.size, removed };
}
