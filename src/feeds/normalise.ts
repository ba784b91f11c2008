/**
 * Parsed items → Stories. Identity follows item-id.ts, with one repair: a
 * GUID that two different items of one document share is not stable, so
 * those items are identified by their link instead (two stories must not
 * merge into one because a CMS reuses a GUID).
 */
import type { Story } from "../queues/payloads.js";
import { itemId } from "./item-id.js";
import type { ParsedFeed, RawItem } from "./raw-item.js";

function sharedGuids(items: RawItem[]): Set<string> {
  const linkByGuid = new Map<string, string | null>();
  const shared = new Set<string>();
  for (const it of items) {
    if (!it.guid) continue;
    if (linkByGuid.has(it.guid) && linkByGuid.get(it.guid) !== it.link) shared.add(it.guid);
    linkByGuid.set(it.guid, it.link);
  }
  return shared;
}

/** One Story per distinct item, in feed order; `now` stands in for a missing date. */
export function toStories(parsed: ParsedFeed, feedUrl: string, source: string, now: number): Story[] {
  const shared = sharedGuids(parsed.items);
  const stories = new Map<string, Story>();
  for (const it of parsed.items) {
    const published = it.published === null ? null : new Date(it.published).toISOString();
    const id = itemId({ guid: it.guid && !shared.has(it.guid) ? it.guid : null, link: it.link, title: it.title, published });
    if (stories.has(id)) continue;
    stories.set(id, {
      id,
      feedUrl,
      source,
      title: it.title,
      description: it.description,
      link: it.link,
      published: published ?? new Date(now).toISOString(),
      author: it.author,
      categories: it.categories,
      enclosures: it.enclosures,
      truncated: it.truncated ?? [],
    });
  }
  return [...stories.values()];
}

/** The name a feed's stories carry: the configured name, else the feed's title, else its host. */
export function sourceName(configured: string | undefined, parsed: ParsedFeed, url: string): string {
  if (configured) return configured;
  if (parsed.title) return parsed.title;
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
