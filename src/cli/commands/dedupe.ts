import { loadCliConfig } from "../config-arg.js";
import { println, type Command } from "../command.js";
import { createOfflineDeduper } from "../../dedupe/offline.js";
import { InputItem, storyFromInput } from "../input-item.js";
import { readJsonl } from "../jsonl.js";

export const dedupeCommand: Command = {
  name: "dedupe",
  summary: "print dedupe verdicts for JSONL items from stdin, in stream order (no Redis needed)",
  help: `usage: newswatch dedupe < items.jsonl > deduped.jsonl

Reads one JSON object per line (title, description, published, source, link …)
in stream order and writes each line back with a "dedupe" object added:
verdict (new, duplicate, same-event, known-event), cluster, of, score,
entities, knownEvent and alsoReportedBy. Every line is classified for its
entities and deduped, relevant or not, with the service's rule on an
in-memory store. A line without a date is dated now.`,
  options: {},
  async run(args, io) {
    const loaded = loadCliConfig(args, io);
    if (!loaded) return 1;
    const dedupe = createOfflineDeduper(loaded.config);
    const counts = new Map<string, number>();
    const now = Date.now();
    for await (const { raw, value } of readJsonl(io.stdin, InputItem, io.stderr)) {
      const { record } = await dedupe(storyFromInput(value, now, loaded.config.limits));
      counts.set(record.dedupe.verdict, (counts.get(record.dedupe.verdict) ?? 0) + 1);
      println(io.stdout, JSON.stringify({ ...raw, dedupe: record.dedupe }));
    }
    println(io.stderr, [...counts].map(([verdict, n]) => `${n} ${verdict}`).join(", ") || "no items");
    return 0;
  },
};
