import { classifyStory } from "../../classify/classify.js";
import { loadCliConfig } from "../config-arg.js";
import { println, type Command } from "../command.js";
import { InputItem, storyFromInput } from "../input-item.js";
import { readJsonl } from "../jsonl.js";

export const classifyCommand: Command = {
  name: "classify",
  summary: "classify JSONL items from stdin (no Redis needed)",
  help: `usage: newswatch classify [--titles-only] < items.jsonl > classified.jsonl

Reads one JSON object per line (title, description, …) and writes each line
back with a "classification" object added: relevant, score, topics, entities,
reasons, evidence and relation. Other keys pass through untouched. A bad line
is reported on stderr with its number and skipped.
  --titles-only       ignore descriptions, as for feeds that carry none`,
  options: { "titles-only": { type: "boolean" } },
  async run(args, io) {
    const loaded = loadCliConfig(args, io);
    if (!loaded) return 1;
    const { topics } = loaded.config;
    if (topics.length === 0) println(io.stderr, `newswatch classify: ${loaded.file} configures no topics; nothing is relevant`);
    const titlesOnly = args.values["titles-only"] === true;
    let count = 0;
    let relevant = 0;
    for await (const { raw, value } of readJsonl(io.stdin, InputItem, io.stderr)) {
      const story = storyFromInput(value, 0);
      const classification = classifyStory(titlesOnly ? { ...story, description: "" } : story, topics);
      count++;
      if (classification.relevant) relevant++;
      println(io.stdout, JSON.stringify({ ...raw, classification }));
    }
    println(io.stderr, `${count} item(s) classified, ${relevant} relevant`);
    return 0;
  },
};
