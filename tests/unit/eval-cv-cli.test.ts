/** The dedupe sections of `newswatch eval` and `eval --cv` as a user runs them, on data written for this test. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ATLANTIS_CONFIG } from "../helpers/atlantis.js";
import { runCli } from "../helpers/cli.js";

const CONFIG = ATLANTIS_CONFIG;

/** Six events of two reports each, a few days apart, worded for this test. */
function labeled(): string {
  const subjects = ["naval drill off Klow", "fighter jet sale", "port call at Szohod", "missile factory deal", "radar station accord", "officer exchange"];
  return subjects
    .flatMap((subject, e) => {
      const event = `2024-03-${String(e * 4 + 1).padStart(2, "0")}-event-${e}`;
      const published = event.slice(0, 10);
      return [
        { id: `e${e}a`, title: `Atlantis and Borduria agree ${subject}`, description: `Officials of both sides confirmed the ${subject}.`, label: "relevant", kind: "relevant", event, published },
        { id: `e${e}b`, title: `Borduria confirms ${subject} with Atlantis`, description: `The ${subject} was announced in the capital.`, label: "relevant", kind: "relevant", event, published },
      ];
    })
    .map((l) => JSON.stringify(l))
    .join("\n");
}

let config: string;
let data: string;
beforeAll(() => {
  const dir = mkdtempSync(path.join(tmpdir(), "nw-eval-cv-"));
  config = path.join(dir, "config.yaml");
  data = path.join(dir, "labeled.jsonl");
  writeFileSync(config, CONFIG);
  writeFileSync(data, labeled());
});

describe("newswatch eval --cv: dedupe", () => {
  it("prints the thresholds fitted per fold, the held-out scores, their mean and spread, and a fit over all items", async () => {
    const { code, out } = await runCli(["eval", data, "--config", config, "--cv", "3"]);
    expect(code).toBe(0);
    // TUNABLE (src/dedupe/tuning.ts) may list more parameters after these two.
    expect(out).toMatch(/## dedupe, event-held-out \(3 folds; eventThreshold, referenceThreshold(, \w+)* fitted on the training folds' items only, \d+ dedupe runs\)/);
    expect(out).toMatch(/^protocol: each fold's fit runs over the full stream .*pairs of two training items never count$/m);
    expect(out.match(/^fold \d \(fit on 8, score 4 held-out in the full stream\): eventThreshold [\d.]+ {2}referenceThreshold [\d.]+ .*→ {2}P \d\.\d{3} {2}R \d\.\d{3} {2}F1 \d\.\d{3} {2}reference recall no reference items/gm)).toHaveLength(3);
    expect(out).toMatch(/^fitted\s+eventThreshold \d\.\d{3} ± \d\.\d{3}\s+referenceThreshold \d\.\d{3} ± \d\.\d{3}/m);
    expect(out).toMatch(/^held-out\s+precision \d\.\d{3} ± \d\.\d{3}\s+recall \d\.\d{3} ± \d\.\d{3}\s+F1 \d\.\d{3} ± \d\.\d{3}$/m);
    expect(out).toMatch(/^reference event \S+: no reference items$/m);
    expect(out).toMatch(/^fit over all 12 items: eventThreshold [\d.]+ {2}referenceThreshold [\d.]+ .* {3}\(configured: eventThreshold [\d.]+ /m);
  });
});

describe("newswatch eval: dedupe", () => {
  it("says when the items hold no reports of the reference event, and shows the bars", async () => {
    const { code, out } = await runCli(["eval", data, "--config", config]);
    expect(code).toBe(0);
    expect(out).toMatch(/precision \d\.\d{3} {2}recall \d\.\d{3} {2}F1 \d\.\d{3} {3}\(bar: F1 >= 0\.93\)/);
    expect(out).toMatch(/reference event \S+: no reference items/);
  });
});
