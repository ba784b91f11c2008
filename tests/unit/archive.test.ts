/** The archive's pure parts: would-vs-was diff, --since, the entry schema, day keys, story lookup, the config section, the progress bar. */
import { PassThrough } from "node:stream";
import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { DedupedRecord } from "../../src/archive/decisions.js";
import { alertChanges, countChanges, type AlertKind } from "../../src/archive/diff.js";
import { storyMatcher } from "../../src/archive/explain.js";
import { DAY, dayOf, daysBetween, dayTtl } from "../../src/archive/keys.js";
import { decodeBatch, encodeBatch, type ArchivedBatch } from "../../src/archive/record.js";
import { sentAlert } from "../../src/archive/replay.js";
import { progressBar } from "../../src/cli/progress.js";
import { sinceTime } from "../../src/cli/since-arg.js";
import { ArchiveSection } from "../../src/config/sections/archive.js";
import type { Story } from "../../src/model/index.js";

const HOUR = 3_600_000;

const story: Story = {
  id: "5f11".padEnd(32, "a"),
  feedUrl: "https://news.example/feed.xml",
  source: "Example Wire",
  title: "Iran and China hold joint naval drill",
  description: "Warships of both navies met off Chabahar.",
  link: "https://news.example/story/1?utm_source=rss",
  published: "2024-05-10T12:00:00.000Z",
  author: null,
  categories: [],
  enclosures: [],
  truncated: [],
};

describe("would against was", () => {
  it.each<[AlertKind | null, AlertKind | null, string[]]>([
    [null, null, []],
    ["new", "new", ["= new"]],
    ["new", null, ["+ new"]],
    [null, "new", ["- new"]],
    ["follow-up", "new", ["- new", "+ follow-up"]],
  ])("would %s, was %s → %j", (would, was, expected) => {
    expect(alertChanges(would, was).map((c) => `${c.change} ${c.kind}`)).toEqual(expected);
  });

  it("counts changes", () => {
    const changes = [...alertChanges("new", "new"), ...alertChanges("new", null), ...alertChanges(null, "new"), ...alertChanges("follow-up", "new")];
    expect(countChanges(changes)).toEqual({ added: 2, removed: 2, unchanged: 1 });
  });

  it("counts an alert as sent only when a channel took it, and with --topic only the topic's", () => {
    const record: DedupedRecord = { verdict: "new", cluster: story.id, of: null, score: 0, topics: ["a"], kind: "new", alerts: [{ channel: "file", job: "j" }] };
    expect(sentAlert(record)).toBe("new");
    expect(sentAlert(record, "a")).toBe("new");
    expect(sentAlert(record, "b")).toBeNull();
    expect(sentAlert({ ...record, alerts: [] })).toBeNull();
    expect(sentAlert({ ...record, kind: null, alerts: [] })).toBeNull();
    expect(sentAlert(undefined)).toBeNull();
  });
});

describe("--since", () => {
  const now = Date.UTC(2024, 4, 10, 12);
  it.each([
    ["1h", now - 3_600_000],
    ["3d", now - 3 * DAY],
    ["90m", now - 90 * 60_000],
    [undefined, now - 7 * DAY],
  ])("%s", (flag, expected) => {
    expect(sinceTime(flag, now, 7 * DAY)).toBe(expected);
  });
  it.each(["3 days", "yesterday", "-1h", "0s"])("refuses %s", (flag) => {
    expect(() => sinceTime(flag, now, 7 * DAY)).toThrow(/duration/);
  });
});

describe("archive entry", () => {
  const batch: ArchivedBatch = { v: 1, feed: "https://news.example/feed.xml", seen: Date.UTC(2024, 4, 10, 12, 1), stories: [story] };

  it("round-trips through its compressed form, smaller than its JSON", async () => {
    const many = { ...batch, stories: Array.from({ length: 20 }, (_, i) => ({ ...story, id: String(i).padStart(32, "0") })) };
    const data = await encodeBatch(many);
    expect(data.length).toBeLessThan(JSON.stringify(many).length / 3);
    expect(await decodeBatch(data)).toEqual(many);
  });

  it.each([
    ["another version", { ...batch, v: 2 }],
    ["no stories", { ...batch, stories: [] }],
    ["a story without an id", { ...batch, stories: [{ ...story, id: "not hex" }] }],
    ["no first-seen time", { ...batch, seen: undefined }],
  ])("refuses an entry with %s, naming the schema", async (_what, bad) => {
    await expect(decodeBatch(deflateRawSync(Buffer.from(JSON.stringify(bad))))).rejects.toThrow(/archive: entry does not match the archive schema/);
  });

  it("refuses bytes that are not a compressed entry", async () => {
    await expect(decodeBatch(Buffer.from("plain text"))).rejects.toThrow(/archive: unreadable entry/);
  });
});

describe("days", () => {
  const t = Date.UTC(2024, 4, 10, 23, 30);
  it("names UTC days and lists them oldest first", () => {
    expect(dayOf(t)).toBe("2024-05-10");
    expect(daysBetween(t - DAY, t + HOUR)).toEqual(["2024-05-09", "2024-05-10", "2024-05-11"]);
  });
  it("keeps a day until all of it is older than the span", () => {
    expect(dayTtl(t, 7 * DAY, t)).toBe(30 * 60_000 + 7 * DAY);
    expect(dayTtl(t - 10 * DAY, 7 * DAY, t)).toBe(1);
  });
});

describe("explain's story lookup", () => {
  it.each([
    [story.id, true],
    [story.id.slice(0, 12), true],
    ["5f11aaab", false],
    ["https://NEWS.example/story/1", true],
    ["https://news.example/story/1?utm_campaign=x#top", true],
    ["https://news.example/story/2", false],
  ])("%s matches: %s", (query, expected) => {
    expect(storyMatcher(query)?.(story)).toBe(expected);
  });
  it("accepts neither a short id nor a non-URL", () => {
    expect(storyMatcher("5f1")).toBeNull();
    expect(storyMatcher("not a story")).toBeNull();
  });
});

describe("archive config", () => {
  it("defaults to 7 days and 64 MB, and reads sizes and durations", () => {
    expect(ArchiveSection.parse(undefined)).toEqual({ enabled: true, span: 7 * DAY, maxBytes: 64 * 1024 ** 2 });
    expect(ArchiveSection.parse({ span: "36h", maxBytes: "512kb" })).toMatchObject({ span: 36 * HOUR, maxBytes: 512 * 1024 });
    expect(ArchiveSection.parse({ maxBytes: "1.5GB" }).maxBytes).toBe(1.5 * 1024 ** 3);
  });
  it.each([
    [{ span: "10m" }, "between 1h and 90d"],
    [{ maxBytes: "1kb" }, "at least 64kb"],
    [{ maxBytes: "lots" }, "invalid size"],
    [{ keep: true }, "keep"],
  ])("refuses %j", (section, message) => {
    const result = ArchiveSection.safeParse(section);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(message);
  });
});

describe("progress bar", () => {
  function terminal(): { stream: PassThrough; text: () => string } {
    const stream = Object.assign(new PassThrough(), { isTTY: true });
    let text = "";
    stream.on("data", (d: Buffer) => (text += d.toString()));
    return { stream, text: () => text };
  }

  it("draws on a terminal at most every 100 ms, always the last step, and clears its line", () => {
    const { stream, text } = terminal();
    let t = 0;
    const bar = progressBar(stream, 4, "replay", () => t);
    t = 200;
    bar.update(1);
    bar.update(2);
    bar.update(4);
    bar.done();
    expect(text().split("\r").filter(Boolean)).toEqual([`replay [${"#".repeat(8)}${".".repeat(22)}]  25% 1/4`, `replay [${"#".repeat(30)}] 100% 4/4`, "\u001b[2K"]);
  });

  it("draws nothing where the output is not a terminal", () => {
    const stream = new PassThrough();
    let text = "";
    stream.on("data", (d: Buffer) => (text += d.toString()));
    const bar = progressBar(stream, 4, "replay");
    bar.update(4);
    bar.done();
    expect(text).toBe("");
  });
});
