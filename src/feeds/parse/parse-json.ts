/**
 * JSON Feed 1.0 and 1.1 (jsonfeed.org). Anything else in JSON is not a feed.
 * Only the first `limits.items` entries are read, each field within its cap
 * (item-caps.ts).
 */
import { z } from "zod";
import { DEFAULT_LIMITS, type FeedLimits } from "../../config/sections/limits.js";
import { FeedError } from "../errors.js";
import { parseDate } from "./dates.js";
import { ItemCaps, type UrlCandidate } from "./item-caps.js";
import type { ParsedFeed, RawItem } from "./raw-item.js";
import { coerceError } from "../../errors.js";

const str = z.string().nullish().catch(null);
const Author = z.looseObject({ name: str }).nullish().catch(null);

const JsonItem = z.looseObject({
  id: z.union([z.string(), z.number()]).nullish().catch(null),
  url: str,
  external_url: str,
  title: str,
  content_html: str,
  content_text: str,
  summary: str,
  image: str,
  banner_image: str,
  date_published: str,
  date_modified: str,
  author: Author,
  authors: z.array(Author).nullish().catch(null),
  tags: z.array(z.unknown()).nullish().catch(null),
  attachments: z.array(z.looseObject({ url: str }).nullish().catch(null)).nullish().catch(null),
});

const JsonFeed = z.looseObject({
  version: z.string().regex(/^https?:\/\/jsonfeed\.org\/version\/1(\.\d+)?\/?$/, "a jsonfeed.org version"),
  title: str,
  home_page_url: str,
  feed_url: str,
  items: z.array(z.unknown()),
});

function item(raw: unknown, base: string | null, caps: ItemCaps): RawItem | null {
  const parsed = JsonItem.safeParse(raw);
  if (!parsed.success) return null;
  const it = parsed.data;
  const authors = [it.author, ...(it.authors ?? []).slice(0, 10)].map((a) => a?.name).filter((n) => n?.trim());
  const attachments: UrlCandidate[] = (it.attachments ?? []).map((a) => [a?.url, base]);
  const date = (s: string | null | undefined) => parseDate(caps.date(s));
  return caps.finish({
    guid: it.id === null || it.id === undefined ? null : caps.guid(String(it.id)),
    link: caps.link(it.url, base) ?? caps.link(it.external_url, base),
    title: caps.title(it.title),
    description: it.summary ? caps.description(it.summary) : it.content_text ? caps.description(it.content_text, false) : caps.description(it.content_html),
    html: caps.html(it.content_html),
    published: date(it.date_published) ?? date(it.date_modified),
    author: caps.author(authors[0]),
    categories: caps.categories((it.tags ?? []).filter((t): t is string => typeof t === "string")),
    enclosures: caps.enclosures([...attachments, [it.image, base], [it.banner_image, base]]),
  });
}

export function parseJsonFeed(text: string, documentUrl: string | null, warnings: string[], limits: FeedLimits = DEFAULT_LIMITS): ParsedFeed {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new FeedError("parse", `feeds/parse: invalid JSON: ${coerceError(err).message}`, { cause: err });
  }
  const feed = JsonFeed.safeParse(data);
  if (!feed.success) {
    const issue = feed.error.issues[0];
    throw new FeedError("parse", `feeds/parse: not a JSON Feed: ${issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "unexpected shape"}`);
  }
  const feedCaps = new ItemCaps(limits);
  const base = feedCaps.link(feed.data.feed_url, documentUrl) ?? documentUrl;
  const all = feed.data.items;
  const kept = all.slice(0, limits.items);
  if (kept.length < all.length) warnings.push(`the document has ${all.length} items; the first ${kept.length} were read (limits.items)`);
  const items = kept.map((raw) => item(raw, base, new ItemCaps(limits))).filter((i): i is RawItem => i !== null);
  const skipped = kept.length - items.length;
  if (skipped > 0) warnings.push(`${skipped} JSON Feed item(s) were not objects and were skipped`);
  const cut = items.filter((i) => i.truncated).length;
  if (cut > 0) warnings.push(`${cut} item(s) had fields cut to the configured limits`);
  return {
    format: "json",
    title: feedCaps.title(feed.data.title, false),
    link: feedCaps.link(feed.data.home_page_url, base),
    items,
    dropped: all.length - kept.length,
    warnings,
  };
}
