/**
 * Parsed items → Stories. Identity follows item-id.ts, with one repair: a
 * GUID that two different items of one document share is not stable, so
 * those items are identified by their link instead (two stories must not
 * merge into one because a CMS reuses a GUID).
 *
 * Dates: an item without a date is dated when it is first seen (`now`), and
 * so is one dated more than FUTURE_SLACK after `now` (year 9999, a CMS that
 * writes milliseconds where seconds belong): such a date would sort the story
 * above every other and keep its cluster open for years. Identity still uses
 * the date as the feed wrote it, so the item stays the same item on every poll.
 */
import type { Story } from "../../model/index.js";
import { itemId } from "./item-id.js";
import type { ParsedFeed, RawItem } from "./raw-item.js";

/** How far ahead of the fetch a date may be and still be trusted: time zones and clock skew, not more. */
const FUTURE_SLACK = 24 * 60 * 60 * 1000;

/** Where a story's date came from: the feed, or the first-seen time because the feed gave none or one too far ahead. */
export type DateSource = "feed" | "missing" | "future";

export interface NormalisedStory {
  story: Story;
  date: DateSource;
}

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

function dateSource(published: number | null, now: number): DateSource {
  if (published === null) return "missing";
  return published > now + FUTURE_SLACK ? "future" : "feed";
}

/** One story per distinct item, in feed order, with where its date came from. */
export function normaliseItems(parsed: ParsedFeed, feedUrl: string, source: string, now: number): NormalisedStory[] {
  const shared = sharedGuids(parsed.items);
  const stories = new Map<string, NormalisedStory>();
  for (const it of parsed.items) {
    const written = it.published === null ? null : new Date(it.published).toISOString();
    const id = itemId({ guid: it.guid && !shared.has(it.guid) ? it.guid : null, link: it.link, title: it.title, published: written });
    if (stories.has(id)) continue;
    const date = dateSource(it.published, now);
    stories.set(id, {
      date,
      story: {
        id,
        feedUrl,
        source,
        title: it.title,
        description: it.description,
        link: it.link,
        published: date === "feed" && written !== null ? written : new Date(now).toISOString(),
        author: it.author,
        categories: it.categories,
        enclosures: it.enclosures,
        truncated: it.truncated ?? [],
      },
    });
  }
  return [...stories.values()];
}

/** A warning for the feed when some items were dated too far ahead, else null. */
export function futureDateWarning(items: readonly NormalisedStory[]): string | null {
  const n = items.filter((i) => i.date === "future").length;
  return n === 0 ? null : `${n} item(s) were dated more than a day ahead; they are dated when first seen instead`;
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
