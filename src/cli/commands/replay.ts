import { alertChanges, countChanges, type AlertChange } from "../../archive/diff.js";
import { countEntries, readArchive, readDedupedRecords } from "../../archive/reader.js";
import { createReplayer, type ReplayVerdict } from "../../archive/replay.js";
import { safeLine } from "../../logger.js";
import { jsonLine, printable } from "../../printable.js";
import { describeRedis } from "../../queues/connection.js";
import { connectCliRedis } from "../cli-redis.js";
import { println, type Command } from "../command.js";
import { loadCliConfig } from "../config-arg.js";
import { isTerminal, progressBar } from "../progress.js";
import { sinceTime } from "../since-arg.js";
import { shortTime, truncate } from "./feeds-table.js";
import { coerceError } from "../../errors.js";

/** One archived item as `--json` prints it. */
function jsonOf(v: ReplayVerdict): Record<string, unknown> {
  const { story, feed, seen } = v.item;
  const { relevant, score, topics, relation } = v.classification;
  return {
    id: story.id,
    seen: new Date(seen).toISOString(),
    feed,
    source: story.source,
    title: story.title,
    link: story.link,
    classification: { relevant, score, topics, relation },
    dedupe: v.dedupe && { verdict: v.dedupe.verdict, cluster: v.dedupe.cluster },
    wouldAlert: v.would,
    wasAlerted: v.was,
  };
}

/** `+ new        0.934 same-event    2024-05-10 12:03Z  Source: title  (id)`; feed text made printable. */
function lineOf(c: AlertChange, v: ReplayVerdict): string {
  const { story, seen } = v.item;
  const judged = v.dedupe ? v.dedupe.verdict : v.classification.relevant ? "relevant" : "not relevant";
  const title = truncate(`${story.source || "?"}: ${story.title}`, 100);
  return printable(`${c.change} ${c.kind.padEnd(10)} ${v.classification.score.toFixed(3)} ${judged.padEnd(13)} ${shortTime(seen)}  ${title}  (${story.id.slice(0, 12)})`);
}

export const replayCommand: Command = {
  name: "replay",
  summary: "dry run: judge the archived recent items with a config and show which alerts would change",
  help: `usage: newswatch replay [--since 3d] [--topic ID] [--all] [--json] [--config other.yaml]

Runs the items the service archived (every polled item that went to
classify) through classify and dedupe as the config judges them, in memory,
and compares the alerts it would send with those the service sent:
  + …   an alert this config adds
  - …   an alert the service sent that this config would not
Reads the archive from the config's Redis and writes nothing, so try a
keyword with --config edited.yaml before saving it. Dedupe starts
dedupe.window before --since, so that a story that continues an earlier
event is judged as the service judged it.
  --since DURATION   items first seen within this long (1h, 3d; default archive.span)
  --topic ID         only this topic: its relevance and its alerts
  --all              also list the alerts that stay the same (=)
  --json             one JSON object per archived item: its classification, dedupe
                     verdict, wouldAlert and wasAlerted (an alert kind, or null)`,
  options: { since: { type: "string" }, topic: { type: "string" }, all: { type: "boolean" }, json: { type: "boolean" } },
  async run(args, io) {
    const loaded = loadCliConfig(args, io);
    if (!loaded) return 1;
    const { config } = loaded;
    const now = Date.now();
    let since: number;
    try {
      since = sinceTime(typeof args.values.since === "string" ? args.values.since : undefined, now, config.archive.span);
    } catch (err) {
      println(io.stderr, `newswatch replay: ${coerceError(err).message}`);
      return 2;
    }
    const topic = typeof args.values.topic === "string" ? args.values.topic : undefined;
    if (topic !== undefined && !config.topics.some((t) => t.id === topic)) {
      println(io.stderr, `newswatch replay: no topic ${topic} in ${loaded.file} (topics: ${config.topics.map((t) => t.id).join(", ") || "none"})`);
      return 2;
    }
    const json = args.values.json === true;
    let redis;
    try {
      redis = await connectCliRedis(config.redis);
    } catch (err) {
      println(io.stderr, `newswatch replay: cannot reach Redis at ${describeRedis(config.redis)}: ${safeLine(coerceError(err).message)}`);
      return 1;
    }
    try {
      const prefix = config.redis.prefix;
      const range = { from: since - config.dedupe.window, to: now };
      const judge = createReplayer(config, await readDedupedRecords(redis, prefix, range), topic);
      // JSON lines on the same terminal would run into the bar: there they are the progress.
      const bar = json && isTerminal(io.stdout) ? progressBar(io.stderr, 0, "") : progressBar(io.stderr, await countEntries(redis, prefix, range), "replay");
      const changes: AlertChange[] = [];
      const lines: string[] = [];
      let items = 0;
      let relevant = 0;
      let bad = 0;
      const reading = readArchive(redis, prefix, range, { onEntry: (n) => bar.update(n), onBadEntry: () => bad++ });
      for await (const item of reading) {
        const verdict = await judge(item);
        if (item.seen < since) continue;
        items++;
        if (verdict.classification.relevant) relevant++;
        if (json) println(io.stdout, jsonLine(jsonOf(verdict)));
        for (const change of alertChanges(verdict.would, verdict.was)) {
          changes.push(change);
          if (change.change !== "=" || args.values.all === true) lines.push(lineOf(change, verdict));
        }
      }
      bar.done();
      if (!json) for (const line of lines) println(io.stdout, line);
      const c = countChanges(changes);
      println(io.stderr, `replay: ${items} archived item(s) since ${new Date(since).toISOString()}, ${relevant} relevant; ${c.unchanged} alert(s) unchanged, ${c.added} added (+), ${c.removed} removed (-)`);
      if (bad > 0) println(io.stderr, `replay: ${bad} archive entr${bad === 1 ? "y" : "ies"} could not be read and were skipped`);
      if (items === 0 && config.archive.enabled === false) println(io.stderr, `replay: archive.enabled is false in ${loaded.file}; the service archives nothing`);
      return 0;
    } catch (err) {
      println(io.stderr, `newswatch replay: ${safeLine(coerceError(err).message)}`);
      return 1;
    } finally {
      redis.disconnect();
    }
  },
};
