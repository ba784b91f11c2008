/**
 * What the service keeps in Redis for the config it applies: the feeds' job
 * schedulers (schedulers.ts) and a copy of the config (applied-config.ts),
 * with the log lines an operator needs about them.
 */
import type { Clock } from "../clock.js";
import { configOwner } from "../config/owner.js";
import type { Config } from "../config/schema.js";
import { redactUrl, type Logger } from "../logger.js";
import type { RedisClient } from "../queues/connection.js";
import type { Queues } from "../queues/factory.js";
import { storeAppliedConfig } from "./applied-config.js";
import { foreignLines, syncFeedSchedulers, type SyncResult } from "./schedulers.js";
import { coerceError } from "../errors.js";

export interface AppliedStateOptions {
  redis: RedisClient;
  queues: Queues;
  configFile: string;
  clock: Clock;
  log: Logger;
}

export interface SyncOptions {
  /** Feeds that had a scheduler before: one found missing was lost with Redis's data, and is logged as such. */
  known: ReadonlySet<string>;
  /** Log the feeds of other configs on the prefix (at start and reload, not at every reconnect). */
  reportForeign: boolean;
}

export function appliedState(options: AppliedStateOptions) {
  const { redis, queues, configFile, clock, log } = options;
  return {
    /** Upserts the config's schedulers and removes its own that left it (idempotent). */
    async sync(config: Config, { known, reportForeign }: SyncOptions): Promise<SyncResult> {
      const result = await syncFeedSchedulers(queues.poll, config, configOwner(config, configFile));
      const lost = result.created.filter((url) => known.has(url));
      if (lost.length > 0) log.warn({ feeds: lost.map(redactUrl) }, `redis: job schedulers were missing; re-created ${lost.length}`);
      if (reportForeign) for (const line of foreignLines(result.foreign, config.redis.prefix)) log.warn(`newswatch: ${line}`);
      return result;
    },
    /** Stores the copy `newswatch check --redis` compares against; a failure costs only that comparison. */
    async remember(config: Config): Promise<void> {
      try {
        await storeAppliedConfig(redis, config, configOwner(config, configFile), configFile, clock.now());
      } catch (err) {
        log.warn(`config: could not store the applied config in Redis: ${coerceError(err).message}`);
      }
    },
  };
}
