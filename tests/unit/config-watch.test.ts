/** The config watcher: an editor's save-by-rename is seen, unrelated files and unchanged text are not, an invalid edit is logged with lines. */
import { mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { createLogger } from "../../src/logger.js";
import { watchConfig, type ConfigWatch } from "../../src/service/config-watch.js";
import type { ConfigUpdate, ReloadResult } from "../../src/service/service.js";
import { waitFor } from "../helpers/wait-for.js";

const feeds = (...urls: string[]) => `feeds:\n${urls.map((u) => `  - url: ${u}\n`).join("")}`;

let watcher: ConfigWatch | undefined;
afterEach(() => watcher?.close());

function setUp() {
  const dir = mkdtempSync(path.join(tmpdir(), "nw-watch-"));
  const file = path.join(dir, "newswatch.yaml");
  writeFileSync(file, feeds("http://a.example/rss"));
  const reloads: ConfigUpdate[] = [];
  const lines: { level: number; msg: string }[] = [];
  const log = createLogger({ level: "debug", destination: { write: (l: string) => void lines.push(JSON.parse(l) as { level: number; msg: string }) } });
  const service = {
    reload: async (next: ConfigUpdate): Promise<ReloadResult> => {
      reloads.push(next);
      return { applied: true, changes: [], restart: [] };
    },
  };
  watcher = watchConfig({ loaded: loadConfig(file, {}), env: {}, service, log, debounceMs: 50, sighup: false });
  /** Saves the way editors do: a temporary file renamed over the config. */
  const save = (text: string) => {
    const temp = path.join(dir, ".newswatch.yaml.swp");
    writeFileSync(temp, text);
    renameSync(temp, file);
  };
  return { dir, file, reloads, lines, save };
}

it("applies an edit saved by rename, once, and ignores unrelated files and unchanged text", async () => {
  const { dir, reloads, save, file } = setUp();
  save(feeds("http://a.example/rss", "http://b.example/rss"));
  await waitFor(() => reloads.length === 1, { timeout: 5_000, what: "the reload" });
  expect(reloads[0]?.config.feeds.map((f) => f.url)).toEqual(["http://a.example/rss", "http://b.example/rss"]);
  writeFileSync(path.join(dir, "alerts.jsonl"), "{}\n");
  writeFileSync(file, feeds("http://a.example/rss", "http://b.example/rss"));
  // Both events are past their quiet period well within this time; neither changed the config's text.
  await new Promise((r) => setTimeout(r, 400));
  expect(reloads).toHaveLength(1);
});

it("logs every problem of an invalid edit with its line and key path, and applies nothing", async () => {
  const { file, reloads, lines, save } = setUp();
  save("feeds:\n  - url: http://a.example/rss\n    intervall: 5m\nfeds: []\n");
  await waitFor(() => lines.some((l) => l.msg.includes("is invalid")), { timeout: 5_000, what: "the error lines" });
  const errors = lines.filter((l) => l.level === 50).map((l) => l.msg);
  expect(errors).toEqual([
    `config: ${file} is invalid; the running config stays`,
    `config: ${file}:3:5: feeds[0].intervall: unknown key — did you mean "interval"?`,
    `config: ${file}:4:1: feds: unknown key — did you mean "feeds"?`,
  ]);
  expect(reloads).toHaveLength(0);
});

it("reloads on demand (SIGHUP's path) even when the text is unchanged", async () => {
  const { reloads } = setUp();
  await watcher?.reload();
  expect(reloads).toHaveLength(1);
});
