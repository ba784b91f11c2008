import { classifierEvalSection } from "../../eval/classifier-eval.js";
import { crossValidate, cvSection } from "../../eval/cross-validation.js";
import { crossValidateDedupe, dedupeCvSection } from "../../eval/dedupe-cv.js";
import { dedupeMetrics, prepareEvents } from "../../eval/dedupe-metrics.js";
import { dedupeOptions } from "../../dedupe/dedupe.js";
import { labeledText, type LabeledItem } from "../../eval/labeled.js";
import { groupOf } from "../../learn/folds.js";
import { topicExamples } from "../../learn/topic-examples.js";
import type { Config } from "../../config/schema.js";
import { loadCliConfig } from "../config-arg.js";
import { println, type CliIO, type Command, type CommandArgs } from "../command.js";
import { JSONL_EXIT_HELP } from "../jsonl.js";
import { readLabeledFiles } from "../labeled-files.js";
import { pickTopic } from "../topic-arg.js";

export const evalCommand: Command = {
  name: "eval",
  summary: "measure the classifier (and keyword-alert baseline) and dedupe on labeled JSONL files; --cv K for event-held-out cross-validation",
  help: `usage: newswatch eval FILE… [--titles-only]
       newswatch eval FILE… --cv K [--topic ID]

FILE is labeled JSONL, one item per line, such as the labeled news shipped in
data/labeled/ (data/labeled/iran-china-defense.jsonl; data/labeled/README.md
describes it). Each line is a JSON object:
  {"title": "…", "description": "…", "label": "relevant" | "irrelevant",
   "kind": "…", "event": "…", "id": "…", "published": "2024-05-10", "source": "…"}
title and label are required; kind groups the table of errors, and items
that share an event are one event for grouping quality and for --cv.

Prints precision, recall and F1 for relevance with the configured model, a
table by the items' kind, the keyword-alert baseline ("Iran" AND "China" AND
a military word) on the same items, and same-event grouping quality.
  --titles-only       classify headlines alone, as for feeds without descriptions
  --cv K              instead, judge the training procedure (newswatch train) by
                      K-fold cross-validation that holds out whole events: mean
                      and spread of precision, recall and F1, title + description
                      and titles alone, and the errors by kind; then the
                      dedupe thresholds (src/dedupe/tuning.ts) fitted on the
                      training folds, the held-out fold's same-event P/R/F1
                      and reference recall, and the thresholds a fit over all
                      the items chooses (printed; set them in the config)
  --topic ID          the topic to cross-validate (default: the only one)
${JSONL_EXIT_HELP}`,
  options: { "titles-only": { type: "boolean" }, cv: { type: "string" }, topic: { type: "string" } },
  async run(args, io) {
    const labeled = await readLabeledFiles(args.positionals, io, "eval");
    if (labeled === null) return 1;
    const { items, rejected } = labeled;
    const loaded = loadCliConfig(args, io);
    if (!loaded) return 1;
    if (args.values.cv !== undefined) {
      const code = await runCv(items, loaded.config, args, io);
      return code === 0 && rejected > 0 ? 1 : code;
    }
    const options = { titlesOnly: args.values["titles-only"] === true };
    const sections: string[][] = [classifierEvalSection(items, loaded.config.topics, options), await dedupeMetrics(items, loaded.config, Date.now())];
    for (const lines of sections) {
      for (const line of lines) println(io.stdout, line);
      println(io.stdout);
    }
    return rejected > 0 ? 1 : 0;
  },
};

async function runCv(items: LabeledItem[], config: Config, args: CommandArgs, io: CliIO): Promise<number> {
  const k = Number(args.values.cv);
  if (!Number.isInteger(k) || k < 2) {
    println(io.stderr, `newswatch eval: --cv takes a whole number of folds ≥ 2, got ${String(args.values.cv)}`);
    return 2;
  }
  const topic = pickTopic(config.topics, args, io, "eval");
  if (topic === null) return 2;
  const texts = items.map(labeledText);
  const events = new Set(texts.map(groupOf)).size;
  if (events < k) {
    println(io.stderr, `newswatch eval: ${events} event group(s) cannot fill ${k} folds`);
    return 1;
  }
  const result = crossValidate(topicExamples(texts, topic, config.topics), k);
  for (const line of cvSection(result, items.length, events)) println(io.stdout, line);
  println(io.stdout);
  const configured = dedupeOptions(config.dedupe);
  const dedupe = await crossValidateDedupe(prepareEvents(items, config, Date.now()), k, configured);
  for (const line of dedupeCvSection(dedupe, configured)) println(io.stdout, line);
  return 0;
}
