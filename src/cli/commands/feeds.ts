import { createFeedStateStore } from "../../feeds/state/feed-state.js";
import { feedStatuses, statusJson, withoutFeedUrl } from "../../feeds/state/feed-status.js";
import { safeLine } from "../../logger.js";
import { jsonLine } from "../../printable.js";
import { createRedisClient, describeRedis } from "../../queues/connection.js";
import { CLI_REDIS_OPTIONS } from "../cli-redis.js";
import { loadCliConfig } from "../config-arg.js";
import { println, type Command } from "../command.js";
import { formatTable, shortTime, truncate } from "./feeds-table.js";
import { coerceError } from "../../errors.js";

export const feedsCommand: Command = {
  name: "feeds",
  summary: "status of every configured feed (reads Redis)",
  help: `usage: newswatch feeds [--json]

One row per configured feed: name (configured, else the feed's title), URL,
last success, last error (with the number of consecutive failures; else what
the last poll had to repair, cut or leave, as a warning), items seen, and when
it will next be fetched (later than the poll interval while a failing feed
backs off). The error column leaves out the feed's own URL, which the URL
column shows. URLs are shown with their user and password replaced by ***.
  --json              one JSON object per feed instead of a table; times are
                      ISO 8601 strings (null when not yet), the error in full`,
  options: { json: { type: "boolean" } },
  async run(args, io) {
    const loaded = loadCliConfig(args, io);
    if (!loaded) return 1;
    const { config } = loaded;
    const redis = createRedisClient(config.redis, { ...CLI_REDIS_OPTIONS, lazyConnect: true });
    try {
      await redis.connect();
      const store = createFeedStateStore(redis, config.redis.prefix, config.defaults.seenTtl);
      const statuses = await feedStatuses(config.feeds, store, config.defaults.interval);
      if (args.values.json === true) {
        for (const s of statuses) println(io.stdout, jsonLine(statusJson(s)));
        return 0;
      }
      const rows = statuses.map((s) => [
        truncate(s.name ?? "-", 30),
        truncate(s.state.currentUrl ? `${s.url} -> ${s.state.currentUrl}` : s.url, 70),
        shortTime(s.state.lastSuccess),
        s.state.lastError
          ? truncate(`${s.state.failures > 0 ? `${s.state.failures}x ` : ""}${shortTime(s.state.lastErrorAt)} ${withoutFeedUrl(s.state.lastError, s)}`, 80)
          : s.state.lastWarning
            ? truncate(`warning: ${withoutFeedUrl(s.state.lastWarning, s)}`, 80)
            : "-",
        String(s.state.itemsSeen),
        s.nextPoll === null ? "next tick" : shortTime(s.nextPoll),
      ]);
      println(io.stdout, formatTable(["name", "url", "last success", "last error", "items seen", "next poll"], rows));
      return 0;
    } catch (err) {
      println(io.stderr, `newswatch feeds: cannot read feed state from Redis at ${describeRedis(config.redis)}: ${safeLine(coerceError(err).message)}`);
      return 1;
    } finally {
      redis.disconnect();
    }
  },
};
