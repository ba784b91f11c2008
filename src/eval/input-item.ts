/**
 * A JSONL input line of the offline commands (classify, dedupe, eval), turned
 * into a Story. It lives with eval, which reads it for labeled items too, so
 * that eval never imports the CLI (the CLI imports eval).
 */
import { z } from "zod";
import { DEFAULT_LIMITS, type FeedLimits } from "../config/sections/limits.js";
import { itemId } from "../feeds/parse/item-id.js";
import { cutText } from "../feeds/parse/text.js";
import type { Story } from "../model/index.js";

export const InputItem = z.looseObject({
  id: z.union([z.string(), z.number()]).optional(),
  title: z.string(),
  description: z.string().nullish(),
  link: z.string().nullish(),
  published: z.string().nullish(),
  source: z.string().nullish(),
});
export type InputItem = z.infer<typeof InputItem>;

/** Dates like `2022-04-27` become ISO UTC; a missing or unreadable date becomes `fallback`. */
function isoDate(value: string | null | undefined, fallback: number): string {
  const t = value ? Date.parse(value) : NaN;
  return new Date(Number.isNaN(t) ? fallback : t).toISOString();
}

/** A story from an input line, its text cut to the same caps as a feed item's, so one huge line costs no more than a capped item. */
export function storyFromInput(item: InputItem, now: number, limits: FeedLimits = DEFAULT_LIMITS): Story {
  const description = item.description ?? "";
  const truncated = [
    ...(item.title.length > limits.title ? ["title"] : []),
    ...(description.length > limits.description ? ["description"] : []),
  ];
  return {
    id: itemId({ guid: item.id === undefined ? null : String(item.id), link: item.link, title: item.title, published: item.published }),
    feedUrl: "",
    source: item.source ?? "",
    title: cutText(item.title, limits.title),
    description: cutText(description, limits.description),
    link: item.link ?? null,
    published: isoDate(item.published, now),
    author: null,
    categories: [],
    enclosures: [],
    truncated,
  };
}
