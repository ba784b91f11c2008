/** JSON Feed 1.0 and 1.1 (jsonfeed.org). Anything else in JSON is not a feed. */
import { z } from "zod";
import { FeedError } from "./errors.js";
import { parseDate } from "./dates.js";
import { absoluteUrl, distinct, type ParsedFeed, type RawItem } from "./raw-item.js";
import { cleanText, htmlToText } from "./text.js";

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

function item(raw: unknown, base: string | null): RawItem | null {
  const parsed = JsonItem.safeParse(raw);
  if (!parsed.success) return null;
  const it = parsed.data;
  const html = it.content_html ?? null;
  const authors = [it.author, ...(it.authors ?? [])].map((a) => a?.name?.trim()).filter(Boolean);
  return {
    guid: it.id === null || it.id === undefined ? null : String(it.id),
    link: absoluteUrl(it.url, base) ?? absoluteUrl(it.external_url, base),
    title: htmlToText(it.title ?? ""),
    description: it.summary ? htmlToText(it.summary) : it.content_text ? cleanText(it.content_text) : htmlToText(html ?? ""),
    html,
    published: parseDate(it.date_published) ?? parseDate(it.date_modified),
    author: (authors[0] as string | undefined) ?? null,
    categories: distinct((it.tags ?? []).filter((t): t is string => typeof t === "string").map(cleanText)),
    enclosures: distinct([...(it.attachments ?? []).map((a) => absoluteUrl(a?.url, base)), absoluteUrl(it.image, base), absoluteUrl(it.banner_image, base)]),
  };
}

export function parseJsonFeed(text: string, documentUrl: string | null, warnings: string[]): ParsedFeed {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new FeedError("parse", `feeds/parse: invalid JSON: ${(err as Error).message}`, { cause: err });
  }
  const feed = JsonFeed.safeParse(data);
  if (!feed.success) {
    const issue = feed.error.issues[0];
    throw new FeedError("parse", `feeds/parse: not a JSON Feed: ${issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "unexpected shape"}`);
  }
  const base = absoluteUrl(feed.data.feed_url, documentUrl) ?? documentUrl;
  const items = feed.data.items.map((raw) => item(raw, base));
  const skipped = items.filter((i) => i === null).length;
  if (skipped > 0) warnings.push(`${skipped} JSON Feed item(s) were not objects and were skipped`);
  return {
    format: "json",
    title: cleanText(feed.data.title ?? ""),
    link: absoluteUrl(feed.data.home_page_url, base),
    items: items.filter((i): i is RawItem => i !== null),
    warnings,
  };
}
