import { createRedisClient } from "../../queues/connection.js";
import { RedisDedupeStore } from "../../dedupe/redis-store.js";
import type { ClusterView } from "../../dedupe/store.js";
import { safeLine } from "../../logger.js";
import { jsonLine, printable } from "../../printable.js";
import { CLI_REDIS_OPTIONS } from "../cli-redis.js";
import { loadCliConfig } from "../config-arg.js";
import { println, type Command } from "../command.js";

/** One cluster as text: a header line, then one line per member. Titles and sources come from feeds: control characters are dropped. */
export function formatCluster(c: ClusterView): string[] {
  const known = c.knownEvent ? ` known event ${c.knownEvent}` : "";
  const head = `${c.id}  ${c.count} stor${c.count === 1 ? "y" : "ies"}, ${new Date(c.first).toISOString()} … ${new Date(c.last).toISOString()}${known}`;
  const lines = [head, ...c.members.map((m) => `  ${m.verdict.padEnd(11)} ${m.published.slice(0, 16)}  ${m.source || "?"}: ${m.title}`)];
  return lines.map((line) => printable(line));
}

/** One cluster as `clusters --json` prints it: its times as ISO 8601 strings, like its members' dates and all the CLI's JSON. */
function clusterJson(c: ClusterView): Record<string, unknown> {
  return { ...c, first: new Date(c.first).toISOString(), last: new Date(c.last).toISOString() };
}

export const clustersCommand: Command = {
  name: "clusters",
  summary: "list recent event clusters and their stories (from Redis)",
  help: `usage: newswatch clusters [--limit N] [--json]

Lists the clusters the dedupe stage updated within the dedupe window (most
recent first), each with its stories: verdict, date, source and title.
  --limit N           at most N clusters (default 20)
  --json              one JSON object per cluster (times as ISO 8601 strings)`,
  options: { limit: { type: "string" }, json: { type: "boolean" } },
  async run(args, io) {
    const loaded = loadCliConfig(args, io);
    if (!loaded) return 1;
    const limit = Number(args.values.limit ?? 20);
    if (!Number.isInteger(limit) || limit <= 0) {
      println(io.stderr, "newswatch clusters: --limit takes a positive whole number");
      return 2;
    }
    const { config } = loaded;
    const redis = createRedisClient(config.redis, { ...CLI_REDIS_OPTIONS, lazyConnect: true });
    try {
      await redis.connect();
      const store = new RedisDedupeStore(redis, config.redis.prefix);
      const clusters = await store.recentClusters(Date.now() - config.dedupe.window, limit);
      for (const c of clusters) {
        if (args.values.json === true) println(io.stdout, jsonLine(clusterJson(c)));
        else for (const line of formatCluster(c)) println(io.stdout, line);
      }
      if (clusters.length === 0) println(io.stderr, "no clusters in the dedupe window");
      return 0;
    } catch (err) {
      println(io.stderr, `newswatch clusters: ${safeLine((err as Error).message)}`);
      return 1;
    } finally {
      redis.disconnect();
    }
  },
};
