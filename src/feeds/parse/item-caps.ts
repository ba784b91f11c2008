/**
 * The caps of config/sections/limits.ts, applied to one item as the format
 * parsers build it. A parser hands each field over raw (read within `read`
 * characters from XML, or a whole JSON string) and the methods here cut it
 * before any HTML, entity or regex work, convert it, cut the text, and
 * remember the cut under the RawItem field's name. So the cost of an item is
 * bounded by the caps, whatever the feed sends.
 */
import type { FeedLimits } from "../../config/sections/limits.js";
import { MAX_DATE_CHARS } from "./dates.js";
import { absoluteUrl, type CappedField, type RawItem } from "./raw-item.js";
import { cleanText, cutText, htmlToText, partialReferenceLength } from "./text.js";
import type { Read } from "./xml-read.js";

/** Markup characters read per character of a field that has only a text cap (title, author, category). */
export const MARKUP_PER_CHAR = 4;

/** A raw value: a whole string (JSON) or what an XML read returned. */
export type RawValue = string | Read | null | undefined;

/** A candidate URL and the base it resolves against. */
export type UrlCandidate = [value: string | null | undefined, base: string | null];

function cutRaw(raw: RawValue, max: number): Read {
  if (raw === null || raw === undefined) return { text: "", cut: false };
  const r = typeof raw === "string" ? { text: raw, cut: false } : raw;
  return r.text.length > max ? { text: cutText(r.text, max), cut: true } : r;
}

export class ItemCaps {
  /** The most characters to read of each kind of field, so the reads themselves stay bounded. */
  readonly read: { title: number; markup: number; url: number; author: number; category: number; date: number };
  private readonly cut = new Set<CappedField>();

  constructor(readonly limits: FeedLimits) {
    this.read = {
      title: limits.title * MARKUP_PER_CHAR,
      markup: limits.descriptionMarkup,
      url: limits.link + 1,
      author: limits.author * MARKUP_PER_CHAR,
      category: limits.category * MARKUP_PER_CHAR,
      date: MAX_DATE_CHARS + 1,
    };
  }

  /** Title text from markup (or from plain text when `html` is false). */
  title(raw: RawValue, html = true): string {
    return this.text("title", raw, this.read.title, this.limits.title, html);
  }

  /** Description text from markup (or from plain text when `html` is false). */
  description(raw: RawValue, html = true): string {
    return this.text("description", raw, this.read.markup, this.limits.description, html);
  }

  /** The item's HTML as kept, cut before a tag the cut would split. */
  html(raw: RawValue): string | null {
    const r = cutRaw(raw, this.limits.descriptionMarkup);
    if (!r.text) return null;
    if (!r.cut) return r.text;
    this.cut.add("html");
    const lt = r.text.lastIndexOf("<");
    const text = lt > r.text.lastIndexOf(">") ? r.text.slice(0, lt) : r.text;
    return text.slice(0, text.length - partialReferenceLength(text));
  }

  author(raw: RawValue): string | null {
    return this.text("author", raw, this.read.author, this.limits.author, false) || null;
  }

  /** A GUID longer than the link cap is cut: the cut still identifies the item. */
  guid(raw: RawValue): string | null {
    const r = cutRaw(raw, this.limits.link);
    if (r.cut) this.cut.add("guid");
    return r.text.trim() || null;
  }

  /** Whether the GUID was cut (a cut GUID is no permalink). */
  get guidCut(): boolean {
    return this.cut.has("guid");
  }

  /** An absolute http(s) link; one longer than the cap is dropped, since a cut URL points elsewhere. */
  link(raw: RawValue, base: string | null): string | null {
    const r = cutRaw(raw, this.limits.link);
    if (!r.cut) return absoluteUrl(r.text, base);
    this.cut.add("link");
    return null;
  }

  /** Date text, or "" when it is too long to be a date. */
  date(raw: RawValue): string {
    const r = cutRaw(raw, MAX_DATE_CHARS);
    return r.cut ? "" : r.text;
  }

  /** Distinct categories from the first `limits.categories` candidates, each cut to `limits.category`. */
  categories(raws: Iterable<RawValue>): string[] {
    const out = new Set<string>();
    let seen = 0;
    for (const raw of raws) {
      if (seen++ === this.limits.categories) {
        this.cut.add("categories");
        break;
      }
      const text = this.text("categories", raw, this.read.category, this.limits.category, false);
      if (text) out.add(text);
    }
    return [...out];
  }

  /**
   * Distinct enclosure URLs, at most `limits.enclosures`, from at most four
   * times as many candidates (feeds repeat a URL as enclosure and media:content).
   */
  enclosures(candidates: Iterable<UrlCandidate>): string[] {
    const out = new Set<string>();
    let seen = 0;
    for (const [value, base] of candidates) {
      if (!value) continue;
      if (seen++ === this.limits.enclosures * 4) {
        this.cut.add("enclosures");
        break;
      }
      const url = value.length > this.limits.link ? null : absoluteUrl(value, base);
      if (value.length > this.limits.link) this.cut.add("enclosures");
      if (!url || out.has(url)) continue;
      if (out.size === this.limits.enclosures) {
        this.cut.add("enclosures");
        break;
      }
      out.add(url);
    }
    return [...out];
  }

  /** The item with the names of the fields that were cut, when any were. */
  finish(item: RawItem): RawItem {
    return this.cut.size === 0 ? item : { ...item, truncated: [...this.cut] };
  }

  private text(field: CappedField, raw: RawValue, read: number, max: number, html: boolean): string {
    const r = cutRaw(raw, read);
    const markup = html && r.cut ? r.text.slice(0, r.text.length - partialReferenceLength(r.text)) : r.text;
    const converted = html ? htmlToText(markup) : cleanText(markup);
    const text = cutText(converted, max);
    if (r.cut || text.length < converted.length) this.cut.add(field);
    return text;
  }
}
