/**
 * `check-feed`: one feed fetched, parsed and classified once, nothing stored.
 * The result is for display, so its URLs (and the stories' feedUrl) carry no
 * credentials; errors thrown here do not quote them either.
 */
import { classifyStory } from "../../classify/classify.js";
import type { FeedLimits } from "../../config/sections/limits.js";
import type { TopicSection } from "../../config/sections/topics.js";
import { redactUrl } from "../../logger.js";
import type { Classification, Story } from "../../model/index.js";
import type { Fetcher } from "../../feeds/fetch/fetch.js";
import { futureDateWarning, normaliseItems, sourceName, type DateSource } from "../../feeds/parse/normalise.js";
import { parseFeed } from "../../feeds/parse/parse.js";
import type { ParsedFeed } from "../../feeds/parse/raw-item.js";

export interface CheckedFeed {
  url: string;
  finalUrl: string;
  movedTo: string | null;
  format: ParsedFeed["format"];
  title: string;
  warnings: string[];
  /** `date` says whether story.published is the feed's date or, for none or one too far ahead, the time of this check. */
  items: { story: Story; date: DateSource; classification: Classification }[];
}

export interface CheckOptions {
  fetcher: Fetcher;
  topics: readonly TopicSection[];
  now: number;
  maxBytes: number;
  /** Caps on items and fields (the config's `limits`). @defaultValue DEFAULT_LIMITS */
  limits?: FeedLimits;
  /** The configured name, when the feed is in the config. */
  name?: string;
}

/** Throws FeedError when the feed cannot be fetched or read. */
export async function checkFeed(url: string, options: CheckOptions): Promise<CheckedFeed> {
  const res = await options.fetcher.fetch(url, {}, options.now);
  if (res.status !== "ok") throw new Error(`feeds/check: ${redactUrl(url)} answered 304 to an unconditional request`);
  const parsed = parseFeed(res.body, { url: res.finalUrl, contentType: res.contentType, maxBytes: options.maxBytes, limits: options.limits });
  const items = normaliseItems(parsed, redactUrl(url), sourceName(options.name, parsed, url), options.now);
  const future = futureDateWarning(items);
  return {
    url: redactUrl(url),
    finalUrl: redactUrl(res.finalUrl),
    movedTo: res.movedTo === null ? null : redactUrl(res.movedTo),
    format: parsed.format,
    title: parsed.title,
    warnings: future === null ? parsed.warnings : [...parsed.warnings, future],
    items: items.map(({ story, date }) => ({ story, date, classification: classifyStory(story, options.topics) })),
  };
}
