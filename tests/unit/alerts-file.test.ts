import { appendFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { appendAlertLine, TAIL_BYTES } from "../../src/alerts/file.js";
import { Alert } from "../../src/model/index.js";
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

  const lines = async (file: string) => (await readFile(file, "utf8")).trimEnd().split("\n").map((l) => Alert.parse(JSON.parse(l)));

  it("does not append an alert again when the file's end already holds its story and kind (a retry after a crash)", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "nw-alerts-"));
    const file = path.join(dir, "alerts.jsonl");
    const first = testAlert(1);
    expect(await appendAlertLine(file, first)).toBe(`appended to ${file}`);
    expect(await appendAlertLine(file, testAlert(2))).toBe(`appended to ${file}`);
    // The job runs again after a crash between the write and the delivery record.
    expect(await appendAlertLine(file, first)).toBe(`already in ${file}`);
    // A follow-up of the same story is another alert.
    expect(await appendAlertLine(file, { ...first, kind: "follow-up" })).toBe(`appended to ${file}`);
    expect((await lines(file)).map((a) => [a.story.id, a.kind])).toEqual([
      [first.story.id, "new"],
      [testAlert(2).story.id, "new"],
      [first.story.id, "follow-up"],
    ]);
  });

  it("searches only the file's last TAIL_BYTES, however large the file", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "nw-alerts-"));
    const file = path.join(dir, "alerts.jsonl");
    const old = testAlert(7);
    await appendAlertLine(file, old);
    // More than the tail of other alerts after it: its copy is out of reach, so a repeat is appended (and readers key by id and kind).
    const filler = testAlert(8);
    filler.story.description = "x".repeat(TAIL_BYTES);
    await appendFile(file, JSON.stringify(filler) + "\n");
    expect(await appendAlertLine(file, old)).toBe(`appended to ${file}`);
    expect(await appendAlertLine(file, old)).toBe(`already in ${file}`);
    expect((await lines(file)).map((a) => a.story.id)).toEqual([old.story.id, filler.story.id, old.story.id]);
  });
});
