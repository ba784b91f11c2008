/** newswatch train, eval --cv and classify --explain as a user runs them, on data written for this test. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { Model } from "../../src/classify/model.js";
import { ATLANTIS_CONFIG } from "../helpers/atlantis.js";
import { runCli } from "../helpers/cli.js";

const CONFIG = ATLANTIS_CONFIG;

/** Relevant and irrelevant stories in ten events, worded for this test. */
function labeled(): string {
  const lines: object[] = [];
  for (let e = 0; e < 10; e++) {
    const event = `2024-01-${String(e + 10)}-event-${e}`;
    if (e % 2 === 0) {
      lines.push({ id: `r${e}a`, title: `Atlantis and Borduria hold joint naval drill ${e}`, description: "Warships and frigates of both navies took part.", label: "relevant", kind: "relevant", event });
      lines.push({ id: `r${e}b`, title: `Borduria sells fighter jets to Atlantis, report ${e}`, description: "The air force will receive missiles too.", label: "relevant", kind: "relevant", event });
    } else {
      lines.push({ id: `n${e}a`, title: `Atlantis and Borduria sign oil trade deal ${e}`, description: "Crude exports and investment will grow.", label: "irrelevant", kind: "economic", event });
      lines.push({ id: `n${e}b`, title: `Bordurian foreign minister visits Atlantis ${e}`, description: "Talks covered tourism and culture.", label: "irrelevant", kind: "diplomatic", event });
    }
  }
  return lines.map((l) => JSON.stringify(l)).join("\n") + "\n";
}

let dir: string;
let config: string;
let data: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "nw-train-"));
  config = path.join(dir, "config.yaml");
  data = path.join(dir, "labeled.jsonl");
  writeFileSync(config, CONFIG);
  writeFileSync(data, labeled());
});

describe("newswatch train", () => {
  it("writes models/<topic>.json beside the config, where the loader then finds it", async () => {
    const { code, out, err } = await runCli(["train", data, "--config", config, "--folds", "4"]);
    expect(err).toBe("");
    expect(code).toBe(0);
    const file = path.join(dir, "models", "atlantis-borduria.json");
    expect(out).toMatch(/atlantis-borduria: 20 items, 10 event groups, \d+ features/);
    expect(out).toContain(`wrote ${file}`);
    const model = Model.parse(JSON.parse(readFileSync(file, "utf8")));
    expect(model.trained).toMatchObject({ topic: "atlantis-borduria", items: 20, events: 10, files: ["labeled.jsonl"] });
    expect(model.weights["frame.headline"]).toBeGreaterThan(0);
    expect(loadConfig(config, {}).config.topics[0]?.model).toBe(file);
  });

  it("says what is wrong with its arguments", async () => {
    expect((await runCli(["train", "--config", config])).err).toMatch(/expected one or more labeled JSONL files/);
    expect((await runCli(["train", data, "--config", config, "--topic", "nope"])).err).toMatch(/no topic nope in the config \(topics: atlantis-borduria\)/);
    expect((await runCli(["train", data, "--config", config, "--folds", "11"])).err).toMatch(/--folds must be a whole number from 2 to the 10 event group/);
    expect((await runCli(["train", path.join(dir, "missing.jsonl"), "--config", config])).err).toMatch(/cannot read .*missing\.jsonl/);
  });
});

describe("newswatch eval --cv", () => {
  it("prints each fold and the mean and spread, for full text and headlines", async () => {
    const { code, out } = await runCli(["eval", data, "--config", config, "--cv", "5"]);
    expect(code).toBe(0);
    expect(out).toMatch(/event-held-out cross-validation \(5 folds, 20 items, 10 event groups/);
    expect(out.match(/^fold \d: /gm)).toHaveLength(5);
    expect(out).toMatch(/title \+ description\s+precision \d\.\d{3} ± \d\.\d{3}\s+recall \d\.\d{3} ± \d\.\d{3}\s+F1 \d\.\d{3} ± \d\.\d{3}/);
    expect(out).toMatch(/titles only\s+precision/);
    expect(out).toMatch(/^economic\s+5\s+\d+\s+\d+$/m);
  });

  it("refuses fewer than two folds or more folds than events", async () => {
    expect((await runCli(["eval", data, "--config", config, "--cv", "1"])).code).toBe(2);
    expect((await runCli(["eval", data, "--config", config, "--cv", "12"])).err).toMatch(/10 event group\(s\) cannot fill 12 folds/);
  });
});

describe("newswatch classify --explain", () => {
  it("prints every feature's contribution, summing to the score", async () => {
    const input = JSON.stringify({ title: "Atlantis and Borduria hold joint naval drill", description: "Warships of Atlantis and Borduria sailed together." });
    const { code, out } = await runCli(["classify", "--explain", "--config", config], { input });
    expect(code).toBe(0);
    expect(out).toMatch(/^line 1: Atlantis and Borduria hold joint naval drill$/m);
    const score = Number(/score (\d\.\d{3})/.exec(out)?.[1]);
    const weights = [...out.matchAll(/^\s+([+-]\d+\.\d{3})\s{2}\S/gm)].map((m) => Number(m[1]));
    expect(weights.length).toBeGreaterThan(3);
    const z = weights.reduce((a, b) => a + b, 0);
    expect(1 / (1 + Math.exp(-z))).toBeCloseTo(score, 2);
    expect(out).toMatch(/frame\.sea-platforms\.near\s+"warships"/);
    expect(out).toMatch(/evidence: /);
  });
});

describe("config of older versions", () => {
  it("still loads frame groups with weights and a weights section", () => {
    const file = path.join(dir, "old.yaml");
    writeFileSync(
      file,
      `topics:
  - id: old-topic
    name: Old
    weights: { bias: -3.5, missingSide: -6 }
    actors:
      - { side: A, entities: [{ name: Atlantis }] }
      - { side: B, entities: [{ name: Borduria }] }
    frame: [{ id: military, weight: 3, terms: [warships] }]
    against: [{ id: oil, weight: -2, terms: [oil] }]
    relations: [{ id: drill, label: drill, weight: 1, cues: [drill] }]
`,
    );
    const topic = loadConfig(file, {}).config.topics[0];
    expect(topic?.frame[0]?.terms).toEqual(["warships"]);
    expect(existsSync(path.join(dir, "models", "old-topic.json"))).toBe(false);
    expect(topic?.model).toBeUndefined();
  });
});
