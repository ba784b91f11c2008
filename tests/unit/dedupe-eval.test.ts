import { createReadStream } from "node:fs";
import { describe, expect, it } from "vitest";
import { readJsonl } from "../../src/cli/jsonl.js";
import { loadConfig } from "../../src/config/load.js";
import { EVAL_BARS } from "../../src/eval/bars.js";
import { scoreDedupe } from "../../src/eval/dedupe-metrics.js";
import { LabeledItem } from "../../src/eval/labeled.js";
import { DEFAULT_CONFIG_PATH } from "../../src/paths.js";
import { sharedPath } from "../helpers/shared.js";

const dev = sharedPath("eval", "dev.jsonl");

describe.skipIf(dev === null)("dedupe on ../shared/eval/dev.jsonl", () => {
  const bars = EVAL_BARS.dedupe;
  it(`reaches pairwise F1 >= ${bars.f1}, reference recall >= ${bars.referenceRecall}, no other event marked known`, async () => {
    const items: LabeledItem[] = [];
    for await (const { value } of readJsonl(createReadStream(dev as string), LabeledItem, process.stderr)) items.push(value);
    const { config } = loadConfig(DEFAULT_CONFIG_PATH, {});
    const s = await scoreDedupe(items, config, Date.parse("2030-01-01"));
    expect(s.f1).toBeGreaterThanOrEqual(bars.f1);
    expect(s.referenceItems).toBeGreaterThan(0);
    expect(s.referenceRecall).toBeGreaterThanOrEqual(bars.referenceRecall);
    expect(s.wrongKnown).toBeLessThanOrEqual(bars.wrongKnown);
  });
});
