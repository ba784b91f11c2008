import { describe, expect, it } from "vitest";
import { canonicalUrl } from "../../src/feeds/parse/canonical-url.js";
import { identityKey, itemId } from "../../src/feeds/parse/item-id.js";
import { futureDateWarning, normaliseItems } from "../../src/feeds/parse/normalise.js";
import type { ParsedFeed, RawItem } from "../../src/feeds/parse/raw-item.js";

describe("canonicalUrl", () => {
  it.each([
    ["HTTPS://News.Example.TEST:443/a/b?utm_source=x&b=2&a=1&fbclid=z#top", "https://news.example.test/a/b?a=1&b=2"],
    ["http://news.example.test:80/a?gclid=1", "http://news.example.test/a"],
    ["http://news.example.test:8080/a?mc_cid=1&id=5", "http://news.example.test:8080/a?id=5"],
    ["ftp://news.example.test/a", null],
    ["not a url", null],
  ])("%s", (input, expected) => expect(canonicalUrl(input)).toBe(expected));
});

describe("itemId", () => {
  it("is one item for the same story under two tracking URLs", () => {
    const a = itemId({ link: "https://n.example.test/story?utm_campaign=rss&id=9" });
    const b = itemId({ link: "https://N.example.test/story?id=9&fbclid=abc#comments" });
    expect(a).toBe(b);
    expect(a).toMatch(/^[a-f0-9]{32}$/);
  });

  it("prefers the GUID, then the link, then title and date", () => {
    expect(identityKey({ guid: " g-1 ", link: "https://x.example.test/1" })).toBe("guid:g-1");
    expect(identityKey({ guid: "", link: "https://x.example.test/1" })).toBe("url:https://x.example.test/1");
    expect(identityKey({ title: " Dam Opens ", published: "2024-01-01T00:00:00.000Z" })).toBe("text:dam opens|2024-01-01T00:00:00.000Z");
  });
});

describe("normaliseItems", () => {
  const raw = (over: Partial<RawItem>): RawItem => ({
    guid: null, link: null, title: "t", description: "", html: null, published: null, author: null, categories: [], enclosures: [], ...over,
  });
  const feed = (items: RawItem[]): ParsedFeed => ({ format: "rss", title: "F", link: null, items, warnings: [] });
  const now = Date.UTC(2024, 5, 1, 12);
  const toStories = (parsed: ParsedFeed, url: string, source: string, at: number) => normaliseItems(parsed, url, source, at).map((n) => n.story);

  it("keeps two stories that reuse one GUID apart, by their links", () => {
    const stories = toStories(feed([raw({ guid: "same", link: "https://x.example.test/1" }), raw({ guid: "same", link: "https://x.example.test/2" })]), "https://x.example.test/f", "X", now);
    expect(new Set(stories.map((s) => s.id)).size).toBe(2);
  });

  it("merges an item repeated in one document, and dates undated items with the first-seen time", () => {
    const stories = toStories(feed([raw({ guid: "a" }), raw({ guid: "a" }), raw({ guid: "b", published: Date.UTC(2024, 0, 2) })]), "u", "X", now);
    expect(stories.map((s) => s.published)).toEqual(["2024-06-01T12:00:00.000Z", "2024-01-02T00:00:00.000Z"]);
  });

  it("dates an item more than a day ahead with the first-seen time, and keeps its identity across polls", () => {
    const far = Date.UTC(9999, 11, 31);
    const edge = Date.parse("+275760-09-13T00:00:00.000Z");
    const soon = now + 60 * 60 * 1000;
    const items = [raw({ title: "far", published: far }), raw({ title: "edge", published: edge }), raw({ title: "soon", published: soon })];
    const first = normaliseItems(feed(items), "u", "X", now);
    expect(first.map((n) => [n.date, n.story.published])).toEqual([
      ["future", "2024-06-01T12:00:00.000Z"],
      ["future", "2024-06-01T12:00:00.000Z"],
      ["feed", new Date(soon).toISOString()],
    ]);
    expect(futureDateWarning(first)).toMatch(/^2 item\(s\) were dated more than a day ahead/);
    const later = normaliseItems(feed(items), "u", "X", now + 3_600_000);
    expect(later.map((n) => n.story.id)).toEqual(first.map((n) => n.story.id));
    expect(later[0]?.story.published).toBe(new Date(now + 3_600_000).toISOString());
  });

  it("has no warning when every date is trusted", () => {
    expect(futureDateWarning(normaliseItems(feed([raw({ published: now })]), "u", "X", now))).toBeNull();
  });
});
