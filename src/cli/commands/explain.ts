import { explainArchived, storyMatcher, type StoryExplanation } from "../../archive/explain.js";
import { redactText, safeLine } from "../../logger.js";
import { jsonLine, printable } from "../../printable.js";
import { openQueue } from "../../queues/factory.js";
import { QUEUES } from "../../queues/names.js";
import { describeRedis } from "../../queues/connection.js";
import { connectCliRedis } from "../cli-redis.js";
import { onePositional, println, type Command } from "../command.js";
import { loadCliConfig } from "../config-arg.js";
import { scoreLines } from "./classify.js";
import { formatCluster } from "./clusters.js";
import { shortTime } from "./feeds-table.js";
import { coerceError } from "../../errors.js";

/** The explanation as text; feed text and error messages made printable, URL credentials blanked. */
function textOf(e: StoryExplanation): string[] {
  const { story, feed, seen } = e.item;
  const { classified, deduped } = e.recorded;
  const out = [
    `story ${story.id}: ${story.title}`,
    `  first seen ${shortTime(seen)} in ${story.source || "?"} (${feed}); published ${story.published}`,
    ...(story.link ? [`  link: ${story.link}`] : []),
    "",
    "classification with this config:",
    ...scoreLines(e.scores),
    "",
  ];
  out.push(
    classified
      ? `classified then: ${classified.relevant ? "relevant" : "not relevant"}, score ${classified.score.toFixed(3)}${classified.topics.length > 0 ? `, ${classified.topics.join(", ")}` : ""}${classified.relation ? ` (${classified.relation})` : ""}`
      : "classified then: not recorded (not classified yet, set aside, or archived before decisions were kept)",
  );
  if (!deduped) {
    out.push(classified?.relevant ? "dedupe: not recorded yet" : "dedupe: not run (only relevant stories are deduped)");
    return out.map((l) => printable(l));
  }
  out.push(`dedupe: ${deduped.verdict} (score ${deduped.score}), cluster ${deduped.cluster}${deduped.of ? `, copy of ${deduped.of}` : ""}`);
  out.push(...(e.cluster ? formatCluster(e.cluster).map((l) => `  ${l}`) : ["  (the cluster is no longer in Redis: dedupe keeps it for dedupe.window + margin)"]));
  out.push(deduped.kind === null ? "alert: none (the verdict called for none)" : `alert: ${deduped.kind}, to ${deduped.alerts.length} channel(s)${deduped.alerts.length === 0 ? " (no channel wanted it)" : ""}`);
  for (const d of e.deliveries) {
    const done = d.delivered ? `delivered ${shortTime(d.delivered.at)}: ${d.delivered.detail}` : "no delivery record";
    out.push(`  ${d.channel}: job ${d.job} ${d.state}; ${done}${d.failedReason ? `; last error: ${d.failedReason}` : ""}`);
    if (d.attempts.length === 0) out.push("    no attempts logged (not tried yet, or the job was removed)");
    for (const a of d.attempts) out.push(`    #${a.attempt} ${a.at} ${a.ok ? "ok" : "failed"}${a.ms === undefined ? "" : ` (${a.ms} ms)`} ${a.detail}`);
  }
  return out.map((l) => printable(redactText(l)));
}

/** The same as JSON: detail and reasons are error messages that may quote a URL with credentials. */
function jsonOf(e: StoryExplanation): Record<string, unknown> {
  return {
    story: e.item.story,
    feed: e.item.feed,
    seen: new Date(e.item.seen).toISOString(),
    scores: e.scores,
    recorded: e.recorded,
    cluster: e.cluster,
    deliveries: e.deliveries.map((d) => ({
      ...d,
      failedReason: d.failedReason && redactText(d.failedReason),
      delivered: d.delivered && { ...d.delivered, detail: redactText(d.delivered.detail) },
      attempts: d.attempts.map((a) => ({ ...a, detail: redactText(a.detail) })),
    })),
  };
}

export const explainCommand: Command = {
  name: "explain",
  summary: "why one archived story was or was not alerted: classification, dedupe verdict, deliveries",
  help: `usage: newswatch explain ID|URL [--json]

For one story of the archive (the most recent whose id starts with ID, or
whose link is URL, compared in canonical form): when and from which feed it
was first seen; how the config classifies it now, with every feature's
contribution (log-odds) and the evidence sentence; how it was classified
then; its dedupe verdict and cluster; and for each channel its alert job's
state, every delivery attempt and the delivery record.
  --json              one JSON object instead`,
  options: { json: { type: "boolean" } },
  async run(args, io) {
    const query = onePositional(args, io, "explain", "story id or URL");
    if (query === null) return 2;
    const match = storyMatcher(query);
    if (!match) {
      println(io.stderr, `newswatch explain: "${printable(query)}" is neither a story id (8 or more hex digits) nor an http(s) URL`);
      return 2;
    }
    const loaded = loadCliConfig(args, io);
    if (!loaded) return 1;
    const { config } = loaded;
    let redis;
    try {
      redis = await connectCliRedis(config.redis);
    } catch (err) {
      println(io.stderr, `newswatch explain: cannot reach Redis at ${describeRedis(config.redis)}: ${safeLine(coerceError(err).message)}`);
      return 1;
    }
    const alerts = openQueue(redis, QUEUES.alert, config.redis.prefix);
    try {
      const found = await explainArchived(match, { redis, alerts, config, now: Date.now() });
      if (!found) {
        println(io.stderr, `newswatch explain: no archived story matches ${printable(query)} (the archive keeps ${config.archive.span / 86_400_000} day(s) of polled items)`);
        return 1;
      }
      if (args.values.json === true) println(io.stdout, jsonLine(jsonOf(found)));
      else for (const line of textOf(found)) println(io.stdout, line);
      return 0;
    } catch (err) {
      println(io.stderr, `newswatch explain: ${safeLine(coerceError(err).message)}`);
      return 1;
    } finally {
      await alerts.close();
      redis.disconnect();
    }
  },
};
