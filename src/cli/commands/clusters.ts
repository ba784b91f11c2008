import { createRedisClient } from "../../queues/connection.js";
import { RedisDedupeStore } from "../../dedupe/redis-store.js";
import type { ClusterView } from "../../dedupe/store.js";
import { safeLine } from "../../logger.js";
import { jsonLine, printable } from "../../printable.js";
import { CLI_REDIS_OPTIONS } from "../cli-redis.js";
import { loadCliConfig } from "../config-arg.js";
import { println, type Command } from "../command.js";
import { coerceError } from "../../errors.js";

/**
 * One event as a timeline: a header (count, first and last report, known
 * event, sources), then its stories by publication time with their verdicts,
 * and where other clusters merged into it. Titles and sources come from
 * feeds: control characters are dropped.
 */
export function formatCluster(c: ClusterView): string[] {
  const iso = (t: number) => new Date(t).toISOString();
  const stories = (n: number) => `${n} stor${n === 1 ? "y" : "ies"}`;
  const known = c.knownEvent ? `, known event ${c.knownEvent}` : "";
  const sources = [...new Set(c.members.map((m) => m.source).filter(Boolean))];
  const head = `${c.id}  ${stories(c.count)}, first ${iso(c.first)}, last ${iso(c.last)}${known}; sources: ${sources.join(", ") || "?"}`;
  const entries: [string, string][] = [
    ...c.members.map((m): [string, string] => [m.published, `  ${m.verdict.padEnd(11)} ${m.published.slice(0, 16)}  ${m.source || "?"}: ${m.title}`]),
    ...c.merged.map((m): [string, string] => [iso(m.at), `  ${"merged".padEnd(11)} ${iso(m.at).slice(0, 16)}  cluster ${m.id} (${stories(m.count)}) joined this event`]),
  ];
  // Stable: members keep their arrival order among equal times, a merge comes after the stories of its time.
  const timeline = entries.map((e, i) => ({ e, i })).sort((a, b) => (a.e[0] < b.e[0] ? -1 : a.e[0] > b.e[0] ? 1 : a.i - b.i));
  return [head, ...timeline.map(({ e }) => e[1])].map((line) => printable(line));
}

/** One cluster as `clusters --json` prints it: its times as ISO 8601 strings, like its members' dates and all the CLI's JSON. */
function clusterJson(c: ClusterView): Record<string, unknown> {
  const iso = (t: number) => new Date(t).toISOString();
  return { ...c, first: iso(c.first), last: iso(c.last), merged: c.merged.map((m) => ({ ...m, at: iso(m.at) })) };
}

export const clustersCommand: Command = {
  name: "clusters",
  summary: "list recent event clusters and their stories (from Redis)",
  help: `usage: newswatch clusters [--limit N] [--json]

Lists the events (clusters) the dedupe stage updated within the dedupe window
(most recent first), each as a timeline: first and last report, sources, the
clusters merged into it and when, then its stories in order of publication
with their verdicts.
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
      println(io.stderr, `newswatch clusters: ${safeLine(coerceError(err).message)}`);
      return 1;
    } finally {
      redis.disconnect();
    }
  },
};
