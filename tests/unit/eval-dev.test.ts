/**
 * The shared labeled dev set is never trained on (data/labeled holds none of
 * its events), so it measures the shipped model on unseen events. Skipped
 * with one line where ../shared is absent.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import type { TopicSection } from "../../src/config/sections/topics.js";
import { EVAL_BARS } from "../../src/eval/bars.js";
import { baselinePredictions, evaluateClassifier } from "../../src/eval/classifier-eval.js";
import { LabeledItem } from "../../src/eval/labeled.js";
import { relevanceMetrics } from "../../src/learn/relevance.js";
import { DEFAULT_CONFIG_PATH } from "../../src/paths.js";
import { sharedPath } from "../helpers/shared.js";

const file = sharedPath("eval", "dev.jsonl");

const bars = EVAL_BARS.classifier;

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

  it(`reaches precision ≥ ${bars.precision}, recall ≥ ${bars.recall} and F1 ≥ ${bars.f1} on title + description`, () => {
    const { metrics } = evaluateClassifier(items, topics, { titlesOnly: false });
    expect(metrics.precision).toBeGreaterThanOrEqual(bars.precision);
    expect(metrics.recall).toBeGreaterThanOrEqual(bars.recall);
    expect(metrics.f1).toBeGreaterThanOrEqual(bars.f1);
  });

  it(`reaches F1 ≥ ${bars.titlesOnlyF1} on titles alone`, () => {
    const { metrics } = evaluateClassifier(items, topics, { titlesOnly: true });
    expect(metrics.f1).toBeGreaterThanOrEqual(bars.titlesOnlyF1);
  });

  it("beats the keyword alert by a wide margin", () => {
    const ours = evaluateClassifier(items, topics, { titlesOnly: false }).metrics;
    const base = relevanceMetrics(baselinePredictions(items, { titlesOnly: false }));
    expect(ours.f1 - base.f1).toBeGreaterThan(bars.marginOverBaseline);
  });
});
