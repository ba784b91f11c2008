import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDuration } from "../../src/config/duration.js";
import { loadConfig, parseConfig } from "../../src/config/load.js";
import { DEFAULT_CONFIG_PATH } from "../../src/paths.js";
import { configProblems, TEST_CONFIG_FILE } from "../helpers/config.js";

const FILE = TEST_CONFIG_FILE;

const problems = configProblems;

describe("config loader", () => {
  it("loads the shipped default config", () => {
    const { config } = loadConfig(DEFAULT_CONFIG_PATH, {});
    expect(config.feeds.length).toBeGreaterThan(3);
    expect(config.topics.map((t) => t.id)).toContain("iran-china-defense");
    expect(config.alerts.file?.path).toBe(path.resolve(path.dirname(DEFAULT_CONFIG_PATH), "../data/alerts.jsonl"));
  });

  it.each([
    ["30s", 30_000],
    ["5m", 300_000],
    ["1h", 3_600_000],
    ["7d", 604_800_000],
    ["250ms", 250],
    [1500, 1500],
  ])("parses duration %s", (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it("substitutes ${VAR} from the environment", () => {
    const cfg = parseConfig(
      "alerts:\n  webhooks: [{ url: 'http://127.0.0.1:9/x', secret: '${HOOK_SECRET}' }]\n",
      FILE,
      { HOOK_SECRET: "s3cret" },
    );
    expect(cfg.alerts.webhooks[0]?.secret).toBe("s3cret");
  });

  it("names a missing environment variable and its key", () => {
    expect(problems("alerts:\n  webhooks: [{ url: 'http://127.0.0.1:9/x', secret: '${NOPE_SECRET}' }]\n")).toEqual([
      "alerts.webhooks[0].secret: environment variable NOPE_SECRET is not set",
    ]);
  });

  it("rejects unknown keys with their path and the key meant", () => {
    expect(problems("defaults: { intervall: 5m }\n")).toEqual(['defaults.intervall: unknown key — did you mean "interval"?']);
  });

  it("rejects wrong types and bad durations with the key path", () => {
    const found = problems("feeds:\n  - { url: ftp://example.org/feed, interval: soon }\n");
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^feeds\[0\]\.url: only http\(s\)/);
    expect(found[1]).toMatch(/^feeds\[0\]\.interval: invalid duration "soon"/);
  });

  it("reports YAML syntax errors", () => {
    expect(problems("feeds: [\n")[0]).toMatch(/flow sequence|Missing|end/i);
  });

  it("resolves relative paths against the config file's folder and lets REDIS_URL override", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "nw-config-"));
    mkdirSync(path.join(dir, "ref"));
    writeFileSync(path.join(dir, "ref", "a.yaml"), "id: a\ntitle: A\ndate: 2024-01-02\n");
    const cfg = parseConfig("reference: [ref/a.yaml]\nalerts: { file: { path: out.jsonl } }\n", path.join(dir, "c.yaml"), {
      REDIS_URL: "redis://10.0.0.9:6380",
    });
    expect(cfg.reference).toEqual([path.join(dir, "ref", "a.yaml")]);
    expect(cfg.alerts.file?.path).toBe(path.join(dir, "out.jsonl"));
    expect(cfg.redis.url).toBe("redis://10.0.0.9:6380");
  });

  it("lets NEWSWATCH_METRICS_PORT set metrics.port, under metrics' own rules", () => {
    expect(parseConfig("feeds: []\n", FILE, { NEWSWATCH_METRICS_PORT: "9464" }).metrics.port).toBe(9464);
    expect(problems("feeds: []\n", { NEWSWATCH_METRICS_PORT: "nine" })[0]).toMatch(/NEWSWATCH_METRICS_PORT: expected a port number, got "nine"/);
    expect(problems("metrics: { host: 0.0.0.0 }\n", { NEWSWATCH_METRICS_PORT: "9464" }).join("\n")).toMatch(/metrics\.token: required/);
  });

  it("makes the JSONL file the channel when no channel is configured", () => {
    const cfg = parseConfig("feeds: []\n", FILE, {});
    expect(cfg.alerts.file?.path).toBe(path.resolve("data", "alerts.jsonl"));
  });

  it("rejects a duplicate feed", () => {
    expect(problems("feeds: [{ url: 'http://a.example/x' }, { url: 'http://a.example/x' }]\n")).toEqual([
      "feeds[1].url: duplicate feed http://a.example/x",
    ]);
  });
});
