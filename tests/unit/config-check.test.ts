/** Warnings at load and `newswatch check` without Redis: exit status, warnings, problems with their lines. */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../../src/config/schema.js";
import { configWarnings } from "../../src/config/warnings.js";
import { runCli } from "../helpers/cli.js";

const dir = mkdtempSync(path.join(tmpdir(), "nw-check-"));
function configFile(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe("config warnings", () => {
  it("warns about an empty feed list and a webhook without a secret, and about nothing in a sound config", () => {
    const warned = configWarnings(ConfigSchema.parse({ feeds: [], alerts: { webhooks: [{ url: "https://h.example.test/" }, { name: "ok", url: "https://h.example.test/", secret: "s" }] } }));
    expect(warned).toEqual([
      "feeds: the list is empty; no feed will be polled",
      "alerts.webhooks[0].secret: not set; deliveries to webhook-1 are unsigned, so its receiver cannot tell them from forgeries",
    ]);
    expect(configWarnings(ConfigSchema.parse({ feeds: [{ url: "https://a.example.test/" }] }))).toEqual([]);
  });
});

describe("newswatch check", () => {
  it("passes a valid config (exit 0) and prints its warnings, which fail it only with --strict", async () => {
    const file = configFile("warn.yaml", "feeds: []\nalerts: { webhooks: [{ url: 'https://h.example.test/' }] }\n");
    const ok = await runCli(["check", "--config", file]);
    expect(ok.code).toBe(0);
    expect(ok.err).toContain("warning: feeds: the list is empty; no feed will be polled");
    expect(ok.err).toContain("warning: alerts.webhooks[0].secret: not set");
    expect(ok.out).toContain("valid, 2 warning(s)");
    expect((await runCli(["check", "--config", file, "--strict"])).code).toBe(1);
  });

  it("fails an invalid config (exit 1) with every problem at its line", async () => {
    const file = configFile("bad.yaml", "feds: []\ndefaults:\n  intervall: 5m\nreference: [gone.yaml]\n");
    const result = await runCli(["check", "--config", file]);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`${file}:1:1: feds: unknown key — did you mean "feeds"?`);
    expect(result.err).toContain(`${file}:3:3: defaults.intervall: unknown key — did you mean "interval"?`);
  });

  it("fails a config whose reference is missing, naming key and file", async () => {
    const file = configFile("ref.yaml", "feeds: [{ url: 'https://a.example.test/' }]\nreference:\n  - gone.yaml\n");
    const result = await runCli(["check", "--config", file]);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`${file}:3:5: reference[0]: cannot read ${path.join(dir, "gone.yaml")} (ENOENT)`);
  });

  it.skipIf(process.getuid?.() === 0)("fails a config whose alerts file cannot be written", async () => {
    const locked = path.join(dir, "locked");
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    const file = configFile("locked.yaml", `feeds: [{ url: 'https://a.example.test/' }]\nalerts: { file: { path: locked/sub/alerts.jsonl } }\n`);
    const result = await runCli(["check", "--config", file]);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`error: alerts.file.path: ${path.join(locked, "sub", "alerts.jsonl")}: ${locked} is not writable`);
  });

  it("says what warnings do in its help", async () => {
    const help = await runCli(["check", "--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/do not make\s+the config invalid unless --strict/);
  });
});
