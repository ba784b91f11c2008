import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { topicModelPath } from "../../config/load.js";
import { labeledText } from "../../eval/labeled.js";
import { groupOf } from "../../learn/folds.js";
import { fitModel } from "../../learn/fit-model.js";
import { topicExamples } from "../../learn/topic-examples.js";
import { loadCliConfig } from "../config-arg.js";
import { println, type Command } from "../command.js";
import { JSONL_EXIT_HELP } from "../jsonl.js";
import { readLabeledFiles } from "../labeled-files.js";
import { pickTopic } from "../topic-arg.js";

export const trainCommand: Command = {
  name: "train",
  summary: "fit a topic's weights on labeled JSONL files and write them where the config reads them",
  help: `usage: newswatch train FILE… [--topic ID] [--folds K] [--out PATH]

Fits the classifier's weights for one topic by L2-regularised logistic
regression on labeled items (one JSON object per line: title, description,
label, kind, event; see data/labeled/README.md). Each item is used twice, with
its description and as a headline alone. The L2 strength and the threshold
are chosen by event-held-out cross-validation (--folds, default 5), then the
weights are fitted on every item. The model is written to the topic's
\`model\` path, else to models/<topic id>.json beside the config, where the
config finds it on the next start.
  --topic ID          the topic to fit (default: the only one)
  --folds K           folds of the cross-validation that picks L2 and threshold
  --out PATH          write the model here instead
${JSONL_EXIT_HELP}`,
  options: { topic: { type: "string" }, folds: { type: "string" }, out: { type: "string" } },
  async run(args, io) {
    const labeled = await readLabeledFiles(args.positionals, io, "train");
    if (labeled === null) return 1;
    const { items, rejected } = labeled;
    const loaded = loadCliConfig(args, io);
    if (!loaded) return 1;
    const topic = pickTopic(loaded.config.topics, args, io, "train");
    if (topic === null) return 2;
    const folds = args.values.folds === undefined ? 5 : Number(args.values.folds);
    const texts = items.map(labeledText);
    const events = new Set(texts.map(groupOf)).size;
    if (!Number.isInteger(folds) || folds < 2 || events < folds) {
      println(io.stderr, `newswatch train: --folds must be a whole number from 2 to the ${events} event group(s) in the data`);
      return 2;
    }
    const relevant = texts.filter((t) => t.label === "relevant").length;
    if (relevant === 0 || relevant === texts.length) {
      println(io.stderr, "newswatch train: the data needs both relevant and irrelevant items");
      return 1;
    }
    const model = fitModel(topicExamples(texts, topic, loaded.config.topics), {
      topic: topic.id,
      files: args.positionals.map((f) => path.basename(f)),
      items: texts.length,
      events,
      folds,
      at: new Date().toISOString(),
    });
    const out = typeof args.values.out === "string" ? path.resolve(args.values.out) : (topic.model ?? topicModelPath(loaded.file, topic.id));
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(model, null, 2) + "\n");
    const cv = model.trained.cv;
    println(io.stdout, `${topic.id}: ${texts.length} items, ${events} event groups, ${Object.keys(model.weights).length} features`);
    println(io.stdout, `L2 ${model.trained.l2}, thresholds ${model.threshold} (headlines alone ${model.titleThreshold}); cross-validated F1 ${cv.f1?.toFixed(3)} (title + description ${cv.f1Full?.toFixed(3)}, titles only ${cv.f1Titles?.toFixed(3)})`);
    println(io.stdout, `wrote ${out}`);
    return rejected > 0 ? 1 : 0;
  },
};
