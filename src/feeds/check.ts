/** `check-feed`: one feed fetched, parsed and classified once, nothing stored. */
import { classifyStory } from "../classify/classify.js";
import type { TopicSection } from "../config/sections/topics.js";
import type { Classification, Story } from "../queues/payloads.js";
import type { Fetcher } from "./fetch.js";
import { sourceName, toStories } from "./normalise.js";
import { parseFeed } from "./parse.js";
import type { ParsedFeed } from "./raw-item.js";

export interface CheckedFeed {
  url: string;
  finalUrl: string;
  movedTo: string | null;
  format: ParsedFeed["format"];
  title: string;
  warnings: string[];
  items: { story: Story; classification: Classification }[];
}

export interface CheckOptions {
  fetcher: Fetcher;
  topics: readonly TopicSection[];
  now: number;
  maxBytes: number;
  /** The configured name, when the feed is in the config. */
  name?: string;
}

/** Throws FeedError when the feed cannot be fetched or read. */
export async function checkFeed(url: string, options: CheckOptions): Promise<CheckedFeed> {
  const res = await options.fetcher.fetch(url, {}, options.now);
  if (res.status !== "ok") throw new Error(`feeds/check: ${url} answered 304 to an unconditional request`);
  const parsed = parseFeed(res.body, { url: res.finalUrl, contentType: res.contentType, maxBytes: options.maxBytes });
  const stories = toStories(parsed, url, sourceName(options.name, parsed, url), options.now);
  return {
    url,
    finalUrl: res.finalUrl,
    movedTo: res.movedTo,
    format: parsed.format,
    title: parsed.title,
    warnings: parsed.warnings,
    items: stories.map((story) => ({ story, classification: classifyStory(story, options.topics) })),
  };
}
