import { loadCliConfig } from "../config-arg.js";
import { println, type Command } from "../command.js";
import { createOfflineDeduper } from "../../dedupe/offline.js";
import { InputItem, storyFromInput } from "../../eval/input-item.js";
import { JSONL_EXIT_HELP, readJsonl } from "../jsonl.js";
import { jsonLine } from "../../printable.js";

export const dedupeCommand: Command = {
  name: "dedupe",
  summary: "print dedupe verdicts for JSONL items from stdin, in stream order (no Redis needed)",
  help: `usage: newswatch dedupe < items.jsonl > deduped.jsonl

Reads one JSON object per line (title, description, published, source, link …)
in stream order and writes each line back with a "dedupe" object added:
verdict (new, duplicate, same-event, known-event), cluster, of, score,
entities, knownEvent and alsoReportedBy. Every line is classified for its
entities and deduped, relevant or not, with the service's rule on an
in-memory store. A line without a date is dated now. A bad line (not text,
not JSON, no title) is reported on stderr with its number and skipped.
${JSONL_EXIT_HELP}`,
  options: {},
  async run(args, io) {
    const loaded = loadCliConfig(args, io);
    if (!loaded) return 1;
    const dedupe = createOfflineDeduper(loaded.config);
    const counts = new Map<string, number>();
    const now = Date.now();
    const input = readJsonl(io.stdin, InputItem, io.stderr);
    for await (const { raw, value } of input) {
      const { record } = await dedupe(storyFromInput(value, now, loaded.config.limits));
      counts.set(record.dedupe.verdict, (counts.get(record.dedupe.verdict) ?? 0) + 1);
      println(io.stdout, jsonLine({ ...raw, dedupe: record.dedupe }));
    }
    const skipped = input.rejected > 0 ? [`${input.rejected} line(s) skipped`] : [];
    println(io.stderr, [...[...counts].map(([verdict, n]) => `${n} ${verdict}`), ...skipped].join(", ") || "no items");
    return input.rejected > 0 ? 1 : 0;
  },
};
