import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { appendAlertLine } from "../../src/alerts/file.js";
import { Alert } from "../../src/queues/payloads.js";
import { testAlert } from "../helpers/alert-worker.js";

describe("JSONL file channel", () => {
  let dir: string;
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it("appends whole lines, even from many concurrent writers with large alerts", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "nw-alerts-"));
    const file = path.join(dir, "nested", "alerts.jsonl");
    const alerts = Array.from({ length: 100 }, (_, i) => {
      const a = testAlert(i);
      a.story.description = `${i} `.repeat(5_000 + i * 37);
      return a;
    });
    await Promise.all(alerts.map((a) => appendAlertLine(file, a)));
    const text = await readFile(file, "utf8");
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.trimEnd().split("\n");
    expect(lines).toHaveLength(100);
    const ids = lines.map((l) => Alert.parse(JSON.parse(l)).story.id);
    expect(new Set(ids)).toEqual(new Set(alerts.map((a) => a.story.id)));
  });
});
