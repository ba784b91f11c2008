/**
 * RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 items from the tolerant XML tree.
 * Only direct channel/item, rdf:RDF/item and feed/entry children count, so
 * an <item/> nested inside an item is not an item. Items the document cut
 * off before their end tag are dropped (a truncated download).
 */
import { FeedError } from "./errors.js";
import { parseDate } from "./dates.js";
import { absoluteUrl, distinct, type ParsedFeed, type RawItem } from "./raw-item.js";
import { cleanText, htmlToText } from "./text.js";
import { attrOf, childOf, childrenOf, innerXml, parseXml, positionOf, textOf, type XmlElement } from "./xml-tree.js";

const ATOM = ["atom", "atom03"] as const;

function firstText(el: XmlElement, ...paths: [string | readonly string[], string][]): string {
  for (const [ns, local] of paths) {
    const t = textOf(childOf(el, ns, local)).trim();
    if (t) return t;
  }
  return "";
}

/** Atom text constructs (and Atom 0.3's mode attribute): markup kept as HTML, text as plain. */
function atomText(el: XmlElement | undefined): { text: string; html: string | null } {
  if (!el) return { text: "", html: null };
  const type = (el.attrs.type ?? "text").toLowerCase();
  const mode = el.attrs.mode?.toLowerCase();
  if (type === "xhtml" || type === "application/xhtml+xml" || mode === "xml" && type !== "text/plain") {
    const div = el.children.find((c): c is XmlElement => typeof c !== "string" && c.local === "div");
    const html = innerXml(div ?? el);
    return { text: htmlToText(html), html };
  }
  if (type === "html" || type === "text/html" || mode === "escaped") {
    const html = textOf(el);
    return { text: htmlToText(html), html };
  }
  return { text: cleanText(textOf(el)), html: null };
}

function date(el: XmlElement, candidates: [string | readonly string[], string][]): number | null {
  for (const [ns, local] of candidates) {
    const t = parseDate(textOf(childOf(el, ns, local)));
    if (t !== null) return t;
  }
  return null;
}

function media(el: XmlElement): (string | null)[] {
  const here = [...childrenOf(el, "media", "content"), ...childrenOf(el, "media", "thumbnail")].map((m) => absoluteUrl(attrOf(m, "url"), m.base));
  const groups = childrenOf(el, "media", "group").flatMap(media);
  const enc = childrenOf(el, "enc", "enclosure").map((e) => absoluteUrl(attrOf(e, "resource") ?? attrOf(e, "url"), e.base));
  const atomEnc = childrenOf(el, ATOM, "link")
    .filter((l) => l.attrs.rel === "enclosure")
    .map((l) => absoluteUrl(l.attrs.href, l.base));
  return [...here, ...groups, ...enc, ...atomEnc];
}

function atomLink(el: XmlElement): string | null {
  const links = childrenOf(el, ATOM, "link");
  const alt = links.find((l) => (l.attrs.rel ?? "alternate") === "alternate") ?? null;
  return alt ? absoluteUrl(alt.attrs.href, alt.base) : null;
}

function rssItem(item: XmlElement): RawItem {
  const guidEl = childOf(item, "rss", "guid");
  const guid = textOf(guidEl).trim() || null;
  const permalink = guidEl && guidEl.attrs.isPermaLink?.toLowerCase() !== "false" ? absoluteUrl(guid, item.base) : null;
  const linkEl = childOf(item, "rss", "link");
  const descHtml = firstText(item, ["rss", "description"], ["dc", "description"]);
  const content = firstText(item, ["content", "encoded"]);
  return {
    guid,
    link: absoluteUrl(textOf(linkEl), linkEl?.base ?? item.base) ?? atomLink(item) ?? permalink,
    title: htmlToText(firstText(item, ["rss", "title"], ["dc", "title"])),
    description: htmlToText(descHtml || content),
    html: content || descHtml || null,
    published: date(item, [["rss", "pubDate"], ["dc", "date"], ["atom", "published"], ["atom", "updated"], ["dc", "created"], ["dc", "issued"]]),
    author: cleanText(firstText(item, ["rss", "author"], ["dc", "creator"], ["itunes", "author"])) || null,
    categories: distinct([...childrenOf(item, "rss", "category"), ...childrenOf(item, "dc", "subject")].map((c) => cleanText(textOf(c)))),
    enclosures: distinct([...childrenOf(item, "rss", "enclosure").map((e) => absoluteUrl(e.attrs.url, e.base)), ...media(item)]),
  };
}

function atomEntry(entry: XmlElement): RawItem {
  const content = atomText(childOf(entry, ATOM, "content"));
  const summary = atomText(childOf(entry, ATOM, "summary"));
  const author = childOf(entry, ATOM, "author");
  return {
    guid: firstText(entry, [ATOM, "id"]) || null,
    link: atomLink(entry),
    title: atomText(childOf(entry, ATOM, "title")).text,
    description: summary.text || content.text,
    html: content.html ?? summary.html ?? (content.text || summary.text || null),
    published: date(entry, [[ATOM, "published"], [ATOM, "issued"], [ATOM, "created"], [ATOM, "updated"], [ATOM, "modified"], ["dc", "date"]]),
    author: (author ? cleanText(firstText(author, [ATOM, "name"]) || textOf(author)) : "") || null,
    categories: distinct(childrenOf(entry, ATOM, "category").map((c) => cleanText(c.attrs.label ?? c.attrs.term ?? textOf(c)))),
    enclosures: distinct(media(entry)),
  };
}

/** The feed's root element, searched depth-first so a feed wrapped in an XHTML page is found. */
function findRoot(els: XmlElement[]): XmlElement | null {
  for (const el of els) {
    if (el.local === "rss" || (el.local === "RDF" && el.ns === "rdf") || (el.local === "feed" && ATOM.includes(el.ns as "atom"))) return el;
    const inner = findRoot(el.children.filter((c): c is XmlElement => typeof c !== "string"));
    if (inner) return inner;
  }
  return null;
}

export function parseXmlFeed(text: string, documentUrl: string | null, warnings: string[]): ParsedFeed {
  const doc = parseXml(text, documentUrl);
  const root = findRoot(doc.roots);
  if (!root) {
    const first = doc.roots[0];
    throw new FeedError(
      "parse",
      first
        ? `feeds/parse: not a feed: root element <${first.local}> at ${positionOf(text, first.offset)} is not rss, rdf:RDF or feed`
        : "feeds/parse: not a feed: the document has no root element",
    );
  }
  if (doc.truncated) warnings.push("the document ends before its last end tag; incomplete items were dropped");
  const isAtom = root.local === "feed";
  const channel = isAtom ? root : (childOf(root, "rss", "channel") ?? root);
  const itemEls = isAtom
    ? childrenOf(root, root.ns, "entry")
    : [...childrenOf(channel, "rss", "item"), ...(channel === root ? [] : childrenOf(root, "rss", "item"))];
  const complete = itemEls.filter((el) => el.complete);
  const feedTitle = isAtom ? atomText(childOf(root, ATOM, "title")).text : htmlToText(firstText(channel, ["rss", "title"], ["dc", "title"]));
  const linkEl = childOf(channel, "rss", "link");
  return {
    format: isAtom ? (root.ns === "atom03" ? "atom03" : "atom") : root.local === "RDF" ? "rdf" : "rss",
    title: feedTitle,
    link: isAtom ? atomLink(root) : absoluteUrl(textOf(linkEl), linkEl?.base ?? channel.base),
    items: complete.map(isAtom ? atomEntry : rssItem),
    warnings,
  };
}
