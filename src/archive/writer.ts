/**
 * The archive as the stages write it. Every write comes after the stage's own
 * enqueue and never throws: the archive is for looking back, so a failure is
 * logged (with the feed or story) and the pipeline goes on, and the enqueue
 * it follows can be neither lost nor held up by it (DESIGN.md §1). A retried
 * poll may archive its stories again; readers keep the first copy of each
 * story id. Work per call is bounded: one batch of a classify job's size.
 */
import { alertJobId } from "../alerts/enqueue.js";
import type { Clock } from "../clock.js";
import type { ArchiveSection } from "../config/sections/archive.js";
import type { Logger } from "../logger.js";
import { loadLua } from "../lua.js";
import type { RedisClient } from "../queues/connection.js";
import { execAll } from "../queues/exec-all.js";
import type { Alert, Classification, Dedupe, Story } from "../model/index.js";
import { classifiedField, classifiedValue, dedupedField, type DedupedRecord } from "./decisions.js";
import { bytesKey, DAY, dayOf, daysBetween, dayTtl, decidedKey, itemsKey } from "./keys.js";
import { encodeBatch } from "./record.js";
import { coerceError } from "../errors.js";

/** Oldest entries one append may drop to get back under the cap. */
const DROP_PER_APPEND = 200;

export interface ArchiveWriter {
  /** Archives the stories of one classify job, as first seen now. */
  append(feed: string, stories: readonly Story[]): Promise<void>;
  /** Records how each story of a classify job was judged (null: set aside, not judged). */
  recordClassified(stories: readonly Story[], results: readonly (Classification | null)[]): Promise<void>;
  /** Records a relevant story's dedupe verdict and the alert it sent to which channels, if any. */
  recordDeduped(storyId: string, classification: Classification, dedupe: Dedupe, sent: { alert: Alert; channels: readonly string[] } | null): Promise<void>;
}

export interface ArchiveWriterContext {
  config: { redis: { prefix: string }; archive: ArchiveSection };
  redis: RedisClient;
  clock: Clock;
  log: Logger;
}

const APPEND = loadLua(import.meta.url, "append.lua");

type AppendRedis = RedisClient & { nwArchiveAppend(...args: (string | number | Buffer)[]): Promise<[number, number]> };

function withAppend(redis: RedisClient): AppendRedis {
  if (!("nwArchiveAppend" in redis)) redis.defineCommand("nwArchiveAppend", { lua: APPEND });
  return redis as AppendRedis;
}

const NO_ARCHIVE: ArchiveWriter = { append: async () => {}, recordClassified: async () => {}, recordDeduped: async () => {} };

export function createArchiveWriter(ctx: ArchiveWriterContext): ArchiveWriter {
  const { span, maxBytes, enabled } = ctx.config.archive;
  if (!enabled) return NO_ARCHIVE;
  const prefix = ctx.config.redis.prefix;
  const redis = withAppend(ctx.redis);
  const { clock, log } = ctx;

  async function decide(fields: string[], what: string): Promise<void> {
    const now = clock.now();
    const key = decidedKey(prefix, dayOf(now));
    await execAll(redis.multi().hset(key, ...fields).pexpire(key, dayTtl(now, span, now)), `archive: recording ${what} in ${key}`);
  }

  return {
    async append(feed, stories) {
      if (stories.length === 0) return;
      const now = clock.now();
      try {
        const z = await encodeBatch({ v: 1, feed, seen: now, stories: [...stories] });
        const keys = [bytesKey(prefix), ...daysBetween(now - span, now).map((d) => itemsKey(prefix, d))];
        const args = { cap: maxBytes, todayTtl: dayTtl(now, span, now), bytesTtl: span + DAY, dropLimit: DROP_PER_APPEND, t: now, n: stories.length };
        const [, dropped] = await redis.nwArchiveAppend(keys.length, ...keys, JSON.stringify(args), z);
        if (dropped > 0) log.debug({ feedUrl: feed, dropped }, "archive: over archive.maxBytes; oldest entries dropped");
      } catch (err) {
        log.warn({ feedUrl: feed, stories: stories.length, err }, `archive: ${stories.length} story(ies) of ${feed} not archived: ${coerceError(err).message}`);
      }
    },
    async recordClassified(stories, results) {
      const fields = stories.flatMap((s, i) => {
        const c = results[i];
        return c ? [classifiedField(s.id), classifiedValue(c)] : [];
      });
      if (fields.length === 0) return;
      try {
        await decide(fields, `${fields.length / 2} classification(s)`);
      } catch (err) {
        log.warn({ stories: fields.length / 2, err }, coerceError(err).message);
      }
    },
    async recordDeduped(storyId, classification, dedupe, sent) {
      const record: DedupedRecord = {
        topics: classification.topics,
        verdict: dedupe.verdict,
        cluster: dedupe.cluster,
        of: dedupe.of,
        score: dedupe.score,
        kind: sent?.alert.kind ?? null,
        alerts: sent ? sent.channels.map((channel) => ({ channel, job: alertJobId(sent.alert, channel) })) : [],
      };
      try {
        await decide([dedupedField(storyId), JSON.stringify(record)], `the dedupe verdict of story ${storyId}`);
      } catch (err) {
        log.warn({ story: storyId, err }, coerceError(err).message);
      }
    },
  };
}
