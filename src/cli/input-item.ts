/** A JSONL input line of the offline commands (classify, dedupe, eval), turned into a Story. */
import { z } from "zod";
import { itemId } from "../feeds/item-id.js";
import type { Story } from "../queues/payloads.js";

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

export function storyFromInput(item: InputItem, now: number): Story {
  return {
    id: itemId({ guid: item.id === undefined ? null : String(item.id), link: item.link, title: item.title, published: item.published }),
    feedUrl: "",
    source: item.source ?? "",
    title: item.title,
    description: item.description ?? "",
    html: null,
    link: item.link ?? null,
    published: isoDate(item.published, now),
    author: null,
    categories: [],
    enclosures: [],
  };
}
