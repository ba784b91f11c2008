/**
 * Hostile feeds: each parse must end with a result or a clear error, with
 * every field within its cap. There are no timed assertions (the benchmarks
 * measure speed); the inputs are sized so that a super-linear implementation
 * runs past the 10 s timeout of each test (the old regexes took 78 s on the
 * 400 KB "<a x" run, the old tree 14.5 s on 200,000 levels, and the old
 * recursive walks overflowed the stack at 20,000).
 */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { DEFAULT_LIMITS, LimitsSection, type FeedLimits } from "../../src/config/sections/limits.js";
import { parseFeed } from "../../src/feeds/parse/parse.js";
import { cleanText, htmlToText } from "../../src/feeds/parse/text.js";
import { parseXml, readText, type XmlElement } from "../../src/feeds/parse/xml-tree.js";

const TIMEOUT = 10_000;
const URL_ = "https://hostile.example.test/feed.xml";
const parse = (text: string, limits?: FeedLimits) => parseFeed(Buffer.from(text, "utf8"), { url: URL_, limits });
const rss = (items: string) => `<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title>${items}</channel></rss>`;
const item = (inner: string) => `<item><guid>g</guid>${inner}</item>`;
const jsonFeed = (items: unknown[]) => JSON.stringify({ version: "https://jsonfeed.org/version/1.1", title: "J", items });

function depthOf(roots: XmlElement[]): number {
  let deepest = 0;
  const stack: [XmlElement, number][] = roots.map((r) => [r, 1]);
  while (stack.length > 0) {
    const [el, depth] = stack.pop() as [XmlElement, number];
    deepest = Math.max(deepest, depth);
    for (const c of el.children) if (typeof c !== "string") stack.push([c, depth + 1]);
  }
  return deepest;
}

describe("hostile feeds: markup", () => {
  it("reads 400 KB of '<a x' in a description within the caps", { timeout: TIMEOUT }, () => {
    const [it1] = parse(rss(item(`<title>T</title><description><![CDATA[${"<a x".repeat(100_000)}]]></description>`))).items;
    expect(it1?.description).toBe("");
    expect(it1?.html?.length).toBeLessThanOrEqual(DEFAULT_LIMITS.descriptionMarkup);
    expect(it1?.truncated).toEqual(["description", "html"]);
  });

  it("turns 400 KB of '<a x' into text in one pass, without the caps", { timeout: TIMEOUT }, () => {
    expect(htmlToText("<a x".repeat(100_000))).toBe("");
    expect(htmlToText(`<p>kept</p>${"<div>".repeat(100_000)}end`)).toBe("kept end");
  });

  it("reads a 5 MB entity-dense description (&amp; x 1M) within the caps", { timeout: TIMEOUT }, () => {
    const [it1] = parse(rss(item(`<title>T</title><description>${"&amp;".repeat(1_000_000)}</description>`))).items;
    expect(it1?.description).toBe("&".repeat(DEFAULT_LIMITS.description));
    // The kept HTML ends before a reference the cut may have split (a lone "&" here).
    expect(it1?.html).toMatch(/^&+$/);
    expect(it1?.html?.length).toBeGreaterThan(DEFAULT_LIMITS.descriptionMarkup - 40);
    expect(it1?.html?.length).toBeLessThanOrEqual(DEFAULT_LIMITS.descriptionMarkup);
    expect(it1?.truncated).toEqual(["description", "html"]);
  });

  it("cuts a 9.5 MB CDATA title to the title cap", { timeout: TIMEOUT }, () => {
    const feed = parse(rss(item(`<title><![CDATA[${"A".repeat(9_500_000)}]]></title>`)));
    expect(feed.items[0]?.title).toBe("A".repeat(DEFAULT_LIMITS.title));
    expect(feed.items[0]?.truncated).toEqual(["title"]);
    expect(feed.warnings.join()).toMatch(/1 item\(s\) had fields cut/);
  });

  it("cuts a 9.5 MB JSON Feed title and a description in markup", { timeout: TIMEOUT }, () => {
    const feed = parse(jsonFeed([{ id: "1", title: "<a x".repeat(2_375_000), content_html: `<p>${"word ".repeat(100_000)}</p>` }]));
    expect(feed.items[0]?.title).toBe("");
    expect(feed.items[0]?.description.length).toBeLessThanOrEqual(DEFAULT_LIMITS.description);
    expect(feed.items[0]?.truncated).toEqual(["title", "description", "html"]);
  });
});

describe("hostile feeds: nesting", () => {
  const nested = (levels: number, closed = true) =>
    rss(item(`<title>T</title><description>${"<x>".repeat(levels)}deep${closed ? "</x>".repeat(levels) : ""}</description>`));

  it.each([20_000, 200_000])("flattens %i levels of nesting below the depth limit", { timeout: TIMEOUT }, (levels) => {
    const feed = parse(nested(levels));
    expect(feed.items[0]?.description).toBe("deep");
    expect(feed.warnings.join()).toMatch(/nested deeper than 256 levels were flattened into their ancestor \(first at line 1, column \d+\)/);
  });

  it("keeps a tree no deeper than the limit, whatever the document", { timeout: TIMEOUT }, () => {
    const doc = parseXml(`<r>${"<x>".repeat(200_000)}deep${"</x>".repeat(200_000)}<after>kept</after></r>`, null, { maxDepth: 64 });
    expect(depthOf(doc.roots)).toBe(64);
    expect(doc.truncated).toBe(false);
    const root = doc.roots[0] as XmlElement;
    expect(readText(root).text).toBe("deepkept");
    expect(root.children.map((c) => (typeof c === "string" ? c : c.local))).toEqual(["x", "after"]);
  });

  it("marks 200,000 levels left open as a truncated document", { timeout: TIMEOUT }, () => {
    const doc = parseXml(`<r><a>ok</a>${"<x>".repeat(200_000)}`, null);
    expect(doc.truncated).toBe(true);
    expect(depthOf(doc.roots)).toBe(256);
    expect((doc.roots[0]?.children[0] as XmlElement).complete).toBe(true);
  });

  it("ignores two million stray end tags", { timeout: TIMEOUT }, () => {
    const feed = parse(rss(`${item("<title>One</title>")}${"</zz>".repeat(2_000_000)}${item("<title>Two</title>")}`));
    expect(feed.items.map((i) => i.title)).toEqual(["One", "Two"]);
  });

  it("reads a JSON Feed with 200,000 levels of nesting in an extension", { timeout: TIMEOUT }, () => {
    const text = `{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","title":"t","_x":${"[".repeat(200_000)}${"]".repeat(200_000)}}]}`;
    expect(parse(text).items.map((i) => i.title)).toEqual(["t"]);
  });
});

describe("hostile feeds: counts", () => {
  it("reads the first 2,000 of 85,000 items and says how many it left", { timeout: TIMEOUT }, () => {
    const feed = parse(rss(Array.from({ length: 85_000 }, (_, i) => `<item><guid>g${i}</guid><title>Item ${i}</title></item>`).join("")));
    expect(feed.items).toHaveLength(2_000);
    expect(feed.items[1_999]?.title).toBe("Item 1999");
    expect(feed.dropped).toBe(83_000);
    expect(feed.warnings.join()).toMatch(/85000 items; the first 2000 were read/);
  });

  it("reads the first 2,000 of 85,000 JSON Feed items", { timeout: TIMEOUT }, () => {
    const feed = parse(jsonFeed(Array.from({ length: 85_000 }, (_, i) => ({ id: String(i), title: `Item ${i}` }))));
    expect(feed.items).toHaveLength(2_000);
    expect(feed.dropped).toBe(83_000);
  });

  it("caps categories and enclosures by count and drops overlong URLs", { timeout: TIMEOUT }, () => {
    const cats = Array.from({ length: 20_000 }, (_, i) => `<category>c${i}</category>`).join("");
    const encs = Array.from({ length: 10_000 }, (_, i) => `<enclosure url="https://e.example.test/${i}.mp3"/>`).join("");
    const long = `https://l.example.test/${"a".repeat(5_000)}`;
    const [it1] = parse(rss(`<item><guid>${"g".repeat(5_000)}</guid><title>T</title><link>${long}</link>${cats}${encs}</item>`)).items;
    expect(it1?.categories).toHaveLength(DEFAULT_LIMITS.categories);
    expect(it1?.enclosures).toHaveLength(DEFAULT_LIMITS.enclosures);
    expect(it1?.link).toBeNull();
    expect(it1?.guid).toHaveLength(DEFAULT_LIMITS.link);
    expect(it1?.truncated).toEqual(["guid", "link", "categories", "enclosures"]);
  });
});

describe("limits", () => {
  it("are the config's limits section, with the documented defaults", () => {
    expect(LimitsSection.parse({})).toEqual(DEFAULT_LIMITS);
    expect(DEFAULT_LIMITS).toMatchObject({ title: 1_000, descriptionMarkup: 20_000, description: 5_000, link: 2_048, categories: 50, depth: 256, items: 2_000 });
    const config = parseConfig("limits: { items: 10, depth: 32 }\n", "/etc/newswatch/t.yaml", {});
    expect(config.limits).toEqual({ ...DEFAULT_LIMITS, items: 10, depth: 32 });
    expect(() => parseConfig("limits: { items: 0 }\n", "/etc/newswatch/t.yaml", {})).toThrow();
  });

  it("are taken from the caller, per parse", () => {
    const limits: FeedLimits = { ...DEFAULT_LIMITS, items: 2, title: 20, description: 100, categories: 1, author: 10 };
    const one = `<item><title>${"Long title ".repeat(10)}</title><description>${"word ".repeat(100)}</description><author>${"x".repeat(50)}</author><category>a</category><category>b</category></item>`;
    const feed = parse(rss(one.repeat(3)), limits);
    expect(feed.items).toHaveLength(2);
    expect(feed.dropped).toBe(1);
    const [first] = feed.items;
    expect(first?.title).toBe("Long title Long titl");
    expect(first?.description.length).toBeLessThanOrEqual(100);
    expect(first?.author).toBe("x".repeat(10));
    expect(first?.categories).toEqual(["a"]);
    expect(first?.truncated).toEqual(["title", "description", "author", "categories"]);
    const deep = parse(rss(item(`<title>T</title><description>${"<x>".repeat(10)}in${"</x>".repeat(10)}</description>`)), { ...DEFAULT_LIMITS, depth: 8 });
    expect(deep.items[0]?.description).toBe("in");
    expect(deep.warnings.join()).toMatch(/deeper than 8 levels/);
  });

  it("leave a well-behaved item untouched and unmarked", () => {
    const [it1] = parse(rss(item("<title>Short</title><description>&lt;p&gt;Body&lt;/p&gt;</description>"))).items;
    expect(it1).toMatchObject({ title: "Short", description: "Body", html: "<p>Body</p>" });
    expect(it1?.truncated).toBeUndefined();
  });
});

describe("htmlToText", () => {
  it.each([
    ["block tags as spaces", "<p>One</p><p>Two<br>Three</p>", "One Two Three"],
    ["script, style, noscript and template dropped", "a<script>x<y</script>b<style>p{}</style>c<noscript>n</noscript>d<template><p>t</p></template>e", "abcde"],
    ["a self-closed script hides nothing", "a<script/>b", "ab"],
    ["comments dropped", "fo<!-- x -->o", "foo"],
    ["entities decoded", "Caf&eacute; &amp; &#8220;bar&#x201D; &copy 1 &unknown;", "Café & “bar” © 1 &unknown;"],
    ["a CDATA section read as HTML once", "<![CDATA[<p>in</p>]]> out", "in out"],
    ["a lone < kept", "a < b", "a < b"],
  ])("%s", (_label, html, text) => {
    expect(htmlToText(html)).toBe(text);
  });
});

describe("cleanText", () => {
  it("removes C1 controls left after the windows-1252 repair, and DEL", () => {
    expect(cleanText("a\u0081b\u008Dc\u008Fd\u0090e\u009Df\u007Fg")).toBe("abcdefg");
    expect(cleanText("it\u0092s \u0093q\u0094")).toBe("it’s “q”");
  });

  it("removes them in parsed items too", () => {
    expect(parse(rss(item("<title>T\u0081i\u009Dtle\u007F</title>"))).items[0]?.title).toBe("Title");
  });
});
