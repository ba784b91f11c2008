import { createReadStream } from "node:fs";
import { access } from "node:fs/promises";
import { classifierEvalSection } from "../../eval/classifier-eval.js";
import { dedupeMetrics } from "../../eval/dedupe-metrics.js";
import { LabeledItem } from "../../eval/labeled.js";
import { loadCliConfig } from "../config-arg.js";
import { println, type Command, onePositional } from "../command.js";
import { readJsonl } from "../jsonl.js";

export const evalCommand: Command = {
  name: "eval",
  summary: "measure the classifier (and keyword-alert baseline) on a labeled JSONL file",
  help: `usage: newswatch eval FILE [--titles-only]

FILE holds labeled items, one JSON object per line (title, description, label,
kind, event …; see ../shared/eval/README.md). Prints precision, recall and F1
for relevance, a table by the items' kind, and the keyword-alert baseline
("Iran" AND "China" AND a military word) on the same items.
  --titles-only       classify headlines alone, as for feeds without descriptions`,
  options: { "titles-only": { type: "boolean" } },
  async run(args, io) {
    const file = onePositional(args, io, "eval", "FILE");
    if (file === null) return 2;
    try {
      await access(file);
    } catch (err) {
      println(io.stderr, `newswatch eval: cannot read ${file}: ${(err as Error).message}`);
      return 1;
    }
    const loaded = loadCliConfig(args, io);
    if (!loaded) return 1;
    const items: LabeledItem[] = [];
    for await (const { value } of readJsonl(createReadStream(file), LabeledItem, io.stderr, file)) items.push(value);
    if (items.length === 0) {
      println(io.stderr, `newswatch eval: ${file} holds no labeled items`);
      return 1;
    }
    const options = { titlesOnly: args.values["titles-only"] === true };
    // One function per section, each returning its printed lines; the dedupe section plugs in here.
    const sections: string[][] = [classifierEvalSection(items, loaded.config.topics, options), await dedupeMetrics(items, loaded.config, Date.now())];
    for (const lines of sections) {
      for (const line of lines) println(io.stdout, line);
      println(io.stdout);
    }
    return 0;
  },
};
