/**
 * RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 items from the tolerant XML tree.
 * Only direct channel/item, rdf:RDF/item and feed/entry children count, so
 * an <item/> nested inside an item is not an item. Items the document cut
 * off before their end tag are dropped (a truncated download). Only the
 * first `limits.items` complete items are read, and each field is read
 * within its cap (item-caps.ts), so an item costs the same whatever it holds.
 */
import { DEFAULT_LIMITS, type FeedLimits } from "../../config/sections/limits.js";
import { FeedError } from "../errors.js";
import { parseDate } from "./dates.js";
import { ItemCaps, type RawValue, type UrlCandidate } from "./item-caps.js";
import { absoluteUrl, type ParsedFeed, type RawItem } from "./raw-item.js";
import type { Read } from "./xml-read.js";
import { attrOf, childOf, childrenOf, parseXml, positionOf, readInnerXml, readText, type XmlElement } from "./xml-tree.js";

const ATOM = ["atom", "atom03"] as const;
type Path = [string | readonly string[], string];

/** The first of the paths with text, trimmed, read within `max` characters. */
function firstText(el: XmlElement, max: number, ...paths: Path[]): Read {
  for (const [ns, local] of paths) {
    const read = readText(childOf(el, ns, local), max);
    const text = read.text.trim();
    if (text) return { text, cut: read.cut };
  }
  return { text: "", cut: false };
}

function* texts(els: XmlElement[], max: number): Generator<Read> {
  for (const el of els) yield readText(el, max);
}

/** An Atom text construct (or Atom 0.3's mode attribute), read raw: markup for type html and xhtml, else plain text. */
function atomRead(el: XmlElement | undefined, max: number): { raw: Read; markup: boolean } | null {
  if (!el) return null;
  const type = (el.attrs.type ?? "text").toLowerCase();
  const mode = el.attrs.mode?.toLowerCase();
  if (type === "xhtml" || type === "application/xhtml+xml" || mode === "xml" && type !== "text/plain") {
    const div = el.children.find((c): c is XmlElement => typeof c !== "string" && c.local === "div");
    return { raw: readInnerXml(div ?? el, max), markup: true };
  }
  return { raw: readText(el, max), markup: type === "html" || type === "text/html" || mode === "escaped" };
}

function atomTitle(el: XmlElement, caps: ItemCaps): string {
  const title = atomRead(childOf(el, ATOM, "title"), caps.read.title);
  return title ? caps.title(title.raw, title.markup) : "";
}

function date(el: XmlElement, caps: ItemCaps, candidates: Path[]): number | null {
  for (const [ns, local] of candidates) {
    const t = parseDate(caps.date(readText(childOf(el, ns, local), caps.read.date)));
    if (t !== null) return t;
  }
  return null;
}

/** Media URLs in the order media:content and thumbnails, each media:group's (nested too), enc:enclosure, Atom enclosure links. */
function* mediaCandidates(item: XmlElement): Generator<UrlCandidate> {
  const work: (XmlElement | UrlCandidate[])[] = [item];
  while (work.length > 0) {
    const next = work.pop() as XmlElement | UrlCandidate[];
    if (Array.isArray(next)) {
      yield* next;
      continue;
    }
    const here = [...childrenOf(next, "media", "content"), ...childrenOf(next, "media", "thumbnail")].map((m): UrlCandidate => [attrOf(m, "url"), m.base]);
    const enc = childrenOf(next, "enc", "enclosure").map((e): UrlCandidate => [attrOf(e, "resource") ?? attrOf(e, "url"), e.base]);
    const atomEnc = childrenOf(next, ATOM, "link")
      .filter((l) => l.attrs.rel === "enclosure")
      .map((l): UrlCandidate => [l.attrs.href, l.base]);
    const groups = childrenOf(next, "media", "group");
    // A stack: what is pushed last comes out first.
    work.push([...enc, ...atomEnc]);
    for (let i = groups.length - 1; i >= 0; i--) work.push(groups[i] as XmlElement);
    work.push(here);
  }
}

function atomLink(el: XmlElement, caps: ItemCaps): string | null {
  const alt = childrenOf(el, ATOM, "link").find((l) => (l.attrs.rel ?? "alternate") === "alternate");
  return alt ? caps.link(alt.attrs.href, alt.base) : null;
}

function* rssEnclosures(item: XmlElement): Generator<UrlCandidate> {
  for (const e of childrenOf(item, "rss", "enclosure")) yield [e.attrs.url, e.base];
  yield* mediaCandidates(item);
}

function rssItem(item: XmlElement, caps: ItemCaps): RawItem {
  const read = caps.read;
  const guidEl = childOf(item, "rss", "guid");
  const guid = caps.guid(readText(guidEl, read.url));
  const permalink = guidEl && !caps.guidCut && guidEl.attrs.isPermaLink?.toLowerCase() !== "false" ? absoluteUrl(guid, item.base) : null;
  const linkEl = childOf(item, "rss", "link");
  const descHtml = firstText(item, read.markup, ["rss", "description"], ["dc", "description"]);
  const content = firstText(item, read.markup, ["content", "encoded"]);
  return caps.finish({
    guid,
    link: caps.link(readText(linkEl, read.url), linkEl?.base ?? item.base) ?? atomLink(item, caps) ?? permalink,
    title: caps.title(firstText(item, read.title, ["rss", "title"], ["dc", "title"])),
    description: caps.description(descHtml.text ? descHtml : content),
    html: caps.html(content.text ? content : descHtml),
    published: date(item, caps, [["rss", "pubDate"], ["dc", "date"], ["atom", "published"], ["atom", "updated"], ["dc", "created"], ["dc", "issued"]]),
    author: caps.author(firstText(item, read.author, ["rss", "author"], ["dc", "creator"], ["itunes", "author"])),
    categories: caps.categories(texts([...childrenOf(item, "rss", "category"), ...childrenOf(item, "dc", "subject")], read.category)),
    enclosures: caps.enclosures(rssEnclosures(item)),
  });
}

function* atomCategories(entry: XmlElement, max: number): Generator<RawValue> {
  for (const c of childrenOf(entry, ATOM, "category")) yield c.attrs.label ?? c.attrs.term ?? readText(c, max);
}

function atomEntry(entry: XmlElement, caps: ItemCaps): RawItem {
  const read = caps.read;
  const content = atomRead(childOf(entry, ATOM, "content"), read.markup);
  const summary = atomRead(childOf(entry, ATOM, "summary"), read.markup);
  const summaryText = summary ? caps.description(summary.raw, summary.markup) : "";
  // Content's text is the description without a summary, and the HTML when neither is markup.
  const needContent = !summaryText || (!content?.markup && !summary?.markup);
  const contentText = content && needContent ? caps.description(content.raw, content.markup) : "";
  const markup = content?.markup ? content.raw : summary?.markup ? summary.raw : null;
  const author = childOf(entry, ATOM, "author");
  const name = author && firstText(author, read.author, [ATOM, "name"]);
  return caps.finish({
    guid: caps.guid(firstText(entry, read.url, [ATOM, "id"])),
    link: atomLink(entry, caps),
    title: atomTitle(entry, caps),
    description: summaryText || contentText,
    html: caps.html(markup) ?? (contentText || summaryText || null),
    published: date(entry, caps, [[ATOM, "published"], [ATOM, "issued"], [ATOM, "created"], [ATOM, "updated"], [ATOM, "modified"], ["dc", "date"]]),
    author: author ? caps.author(name && name.text ? name : readText(author, read.author)) : null,
    categories: caps.categories(atomCategories(entry, read.category)),
    enclosures: caps.enclosures(mediaCandidates(entry)),
  });
}

function isFeedRoot(el: XmlElement): boolean {
  return el.local === "rss" || (el.local === "RDF" && el.ns === "rdf") || (el.local === "feed" && ATOM.includes(el.ns as "atom"));
}

/** The feed's root element, searched depth-first (with a stack, not recursion) so a feed wrapped in an XHTML page is found. */
function findRoot(roots: XmlElement[]): XmlElement | null {
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    const el = stack.pop() as XmlElement;
    if (isFeedRoot(el)) return el;
    for (let i = el.children.length - 1; i >= 0; i--) {
      const child = el.children[i] as XmlElement | string;
      if (typeof child !== "string") stack.push(child);
    }
  }
  return null;
}

export function parseXmlFeed(text: string, documentUrl: string | null, warnings: string[], limits: FeedLimits = DEFAULT_LIMITS): ParsedFeed {
  const feedCaps = new ItemCaps(limits);
  const doc = parseXml(text, documentUrl, { maxDepth: limits.depth, maxAttribute: Math.max(65_536, feedCaps.read.url, feedCaps.read.category) });
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
  if (doc.tooDeep !== null) {
    warnings.push(`elements nested deeper than ${limits.depth} levels were flattened into their ancestor (first at ${positionOf(text, doc.tooDeep)})`);
  }
  const isAtom = root.local === "feed";
  const channel = isAtom ? root : (childOf(root, "rss", "channel") ?? root);
  const itemEls = isAtom
    ? childrenOf(root, root.ns, "entry")
    : [...childrenOf(channel, "rss", "item"), ...(channel === root ? [] : childrenOf(root, "rss", "item"))];
  const complete = itemEls.filter((el) => el.complete);
  const kept = complete.slice(0, limits.items);
  if (kept.length < complete.length) warnings.push(`the document has ${complete.length} items; the first ${kept.length} were read (limits.items)`);
  const items = kept.map((el) => (isAtom ? atomEntry : rssItem)(el, new ItemCaps(limits)));
  if (doc.malformed) {
    const { offset, what } = doc.malformed;
    warnings.push(`feed XML is malformed (${what} at ${positionOf(text, offset)}); recovered ${items.length} item(s)`);
  }
  const cut = items.filter((i) => i.truncated).length;
  if (cut > 0) warnings.push(`${cut} item(s) had fields cut to the configured limits`);
  const linkEl = childOf(channel, "rss", "link");
  return {
    format: isAtom ? (root.ns === "atom03" ? "atom03" : "atom") : root.local === "RDF" ? "rdf" : "rss",
    title: isAtom ? atomTitle(root, feedCaps) : feedCaps.title(firstText(channel, feedCaps.read.title, ["rss", "title"], ["dc", "title"])),
    link: isAtom ? atomLink(root, feedCaps) : feedCaps.link(readText(linkEl, feedCaps.read.url), linkEl?.base ?? channel.base),
    items,
    dropped: complete.length - kept.length,
    warnings,
  };
}
