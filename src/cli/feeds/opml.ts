/** OPML subscription lists in and out. */
import type { FeedEntry } from "../../config/sections/feeds.js";
import { printable } from "../../printable.js";
import { FeedError } from "../../feeds/errors.js";
import { attrOf, parseXml, type XmlElement } from "../../feeds/parse/xml-tree.js";

export interface OpmlFeed {
  url: string;
  name: string | null;
}

function outlines(el: XmlElement): XmlElement[] {
  return el.children.flatMap((c) => (typeof c === "string" ? [] : c.local === "outline" ? [c, ...outlines(c)] : outlines(c)));
}

/** Every outline with an xmlUrl, in document order (categories flattened), http(s) only. */
export function parseOpml(text: string): OpmlFeed[] {
  const root = parseXml(text, null).roots.find((r) => r.local.toLowerCase() === "opml");
  if (!root) throw new FeedError("parse", "feeds/opml: not an OPML document (no <opml> root element)");
  const feeds: OpmlFeed[] = [];
  for (const o of outlines(root)) {
    const url = (attrOf(o, "xmlUrl") ?? attrOf(o, "xmlurl"))?.trim();
    if (!url || !/^https?:\/\//i.test(url)) continue;
    const name = (o.attrs.title ?? o.attrs.text ?? "").trim();
    feeds.push({ url, name: name || null });
  }
  return feeds;
}

// Control characters are not allowed in XML 1.0 and must not reach the terminal `feeds export` may print to.
const esc = (s: string) => printable(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function writeOpml(feeds: readonly Pick<FeedEntry, "url" | "name">[], title = "newswatch feeds"): string {
  const lines = feeds.map((f) => {
    const name = esc(f.name ?? f.url);
    return `    <outline type="rss" text="${name}" title="${name}" xmlUrl="${esc(f.url)}"/>`;
  });
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<opml version="2.0">', `  <head><title>${esc(title)}</title></head>`, "  <body>", ...lines, "  </body>", "</opml>", ""].join("\n");
}
