/** Fields of a RawItem that the limits (config/sections/limits.ts) can cut. */
export type CappedField = "guid" | "link" | "title" | "description" | "html" | "author" | "categories" | "enclosures";

/** What a format parser hands on: one item's fields, already plain text and absolute URLs, each within its cap. */
export interface RawItem {
  guid: string | null;
  link: string | null;
  title: string;
  description: string;
  html: string | null;
  /** UTC milliseconds, or null when the item has no readable date. */
  published: number | null;
  author: string | null;
  categories: string[];
  enclosures: string[];
  /** The fields that were cut to their caps (a link or enclosure too long is dropped); absent when none was. */
  truncated?: CappedField[];
}

export interface ParsedFeed {
  format: "rss" | "rdf" | "atom" | "atom03" | "json";
  title: string;
  link: string | null;
  /** The document's first `limits.items` items, in document order. */
  items: RawItem[];
  /** Items after those, left unread; a later poll takes them. The parsers always set it. */
  dropped?: number;
  /** What was repaired or guessed on the way (charset guess, truncated document …). */
  warnings: string[];
}

/** An absolute http(s) URL from a possibly relative one, or null. */
export function absoluteUrl(value: string | null | undefined, base: string | null): string | null {
  const v = value?.trim();
  if (!v) return null;
  try {
    const u = base ? new URL(v, base) : new URL(v);
    return u.protocol === "http:" || u.protocol === "https:" ? u.toString() : null;
  } catch {
    return null;
  }
}

/** Distinct non-empty strings, first occurrence kept. */
export function distinct(values: (string | null | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => Boolean(v)))];
}
