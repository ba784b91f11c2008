import { createReadStream } from "node:fs";
import { describe, expect, it } from "vitest";
import { readJsonl } from "../../src/cli/jsonl.js";
import { loadConfig } from "../../src/config/load.js";
import { scoreDedupe } from "../../src/eval/dedupe-metrics.js";
import { LabeledItem } from "../../src/eval/labeled.js";
import { DEFAULT_CONFIG_PATH } from "../../src/paths.js";
import { sharedPath } from "../helpers/shared.js";

const dev = sharedPath("eval", "dev.jsonl");

describe.skipIf(dev === null)("dedupe on ../shared/eval/dev.jsonl", () => {
  it("meets the bar: pairwise F1 >= 0.88, reference recall >= 0.9, no other event marked known", async () => {
    const items: LabeledItem[] = [];
    for await (const { value } of readJsonl(createReadStream(dev as string), LabeledItem, process.stderr)) items.push(value);
    const { config } = loadConfig(DEFAULT_CONFIG_PATH, {});
    const s = await scoreDedupe(items, config, Date.parse("2030-01-01"));
    expect(s.f1).toBeGreaterThanOrEqual(0.88);
    expect(s.referenceRecall).toBeGreaterThanOrEqual(0.9);
    expect(s.wrongKnown).toBe(0);
  });
});
