/** The bar on the shared labeled dev set (skipped with one line where ../shared is absent). */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import type { TopicSection } from "../../src/config/sections/topics.js";
import { baselinePredictions, evaluateClassifier } from "../../src/eval/classifier-eval.js";
import { LabeledItem } from "../../src/eval/labeled.js";
import { relevanceMetrics } from "../../src/learn/relevance.js";
import { DEFAULT_CONFIG_PATH } from "../../src/paths.js";
import { sharedPath } from "../helpers/shared.js";

const file = sharedPath("eval", "dev.jsonl");

describe.skipIf(file === null)("classifier on ../shared/eval/dev.jsonl", () => {
  let items: LabeledItem[];
  let topics: TopicSection[];
  beforeAll(() => {
    items = readFileSync(file ?? "", "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => LabeledItem.parse(JSON.parse(l)));
    topics = loadConfig(DEFAULT_CONFIG_PATH, {}).config.topics;
  });

  it("reaches precision ≥ 0.90 and F1 ≥ 0.88 on title + description", () => {
    const { metrics } = evaluateClassifier(items, topics, { titlesOnly: false });
    expect(metrics.precision).toBeGreaterThanOrEqual(0.9);
    expect(metrics.f1).toBeGreaterThanOrEqual(0.88);
  });

  it("reaches F1 ≥ 0.80 on titles alone", () => {
    const { metrics } = evaluateClassifier(items, topics, { titlesOnly: true });
    expect(metrics.f1).toBeGreaterThanOrEqual(0.8);
  });

  it("beats the keyword alert by a wide margin", () => {
    const ours = evaluateClassifier(items, topics, { titlesOnly: false }).metrics;
    const base = relevanceMetrics(baselinePredictions(items, { titlesOnly: false }));
    expect(ours.f1 - base.f1).toBeGreaterThan(0.2);
  });
});
