import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

describe("newswatch classify", () => {
  it("echoes each line with a classification, reports bad lines by number, and exits 1 for them", async () => {
    const input = [
      JSON.stringify({ title: "Chinese frigates join Iranian navy for drills off Chabahar", description: "", extra: { keep: 1 } }),
      "{not json",
      JSON.stringify({ description: "no title" }),
      JSON.stringify({ title: "Wheat prices fall in Europe" }),
    ].join("\n");
    const { code, out, err } = await runCli(["classify"], { input });
    // Some lines were skipped: the good ones are still written, and the status says so.
    expect(code).toBe(1);
    const lines = out.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ extra: { keep: 1 }, classification: { relevant: true, relation: "joint-exercise" } });
    expect(lines[1]).toMatchObject({ title: "Wheat prices fall in Europe", classification: { relevant: false } });
    expect(err).toMatch(/stdin:2: invalid JSON/);
    expect(err).toMatch(/stdin:3: title/);
  });

  it("ignores descriptions with --titles-only", async () => {
    const line = JSON.stringify({ title: "A week in review", description: "Chinese warships docked at Bandar Abbas for joint drills with Iran." });
    const full = await runCli(["classify"], { input: line });
    const titles = await runCli(["classify", "--titles-only"], { input: line });
    expect(JSON.parse(full.out).classification.relevant).toBe(true);
    expect(JSON.parse(titles.out).classification.relevant).toBe(false);
  });
});

describe("newswatch eval", () => {
  it("prints metrics for the classifier and the keyword alert, and a row per kind", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "nw-eval-"));
    const file = path.join(dir, "labeled.jsonl");
    const items = [
      { id: "a", title: "Iran and China stage joint naval exercise", description: "", label: "relevant", kind: "relevant" },
      { id: "b", title: "China buys more Iranian oil for its refineries", description: "Tankers carried crude and defense analysts watched.", label: "irrelevant", kind: "iran-china-economic" },
      { id: "c", title: "Iran tests a missile", description: "", label: "irrelevant", kind: "iran-only-military" },
    ];
    writeFileSync(file, items.map((i) => JSON.stringify(i)).join("\n"));
    const { code, out } = await runCli(["eval", file]);
    expect(code).toBe(0);
    expect(out).toMatch(/classifier\s+precision 1\.000\s+recall 1\.000\s+F1 1\.000/);
    expect(out).toMatch(/keyword alert\s+precision 0\.500/);
    expect(out).toMatch(/iran-china-economic\s+1\s+0 \(1\.000\)\s+1 \(0\.000\)/);
  });

  it("refuses a missing file", async () => {
    const { code, err } = await runCli(["eval", "/nonexistent/file.jsonl"]);
    expect(code).toBe(1);
    expect(err).toMatch(/cannot read/);
  });
});
