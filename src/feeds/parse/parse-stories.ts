/**
 * A fetched body → the feed's stories: parse within the caps, then identity
 * and normalisation. Pure and CPU-bound, so the poll stage runs it on the CPU
 * pool; a feed's parse error travels back as data (an Error's class does not
 * cross threads) and becomes a FeedError again on the poll's side.
 */
import type { FeedLimits } from "../../config/sections/limits.js";
import type { Story } from "../../model/index.js";
import { FeedError, type FeedErrorKind } from "../errors.js";
import { futureDateWarning, normaliseItems, sourceName } from "./normalise.js";
import { parseFeed } from "./parse.js";

export interface ParseInput {
  body: Uint8Array;
  /** Where the body came from (after redirects): resolves relative links. */
  finalUrl: string;
  contentType: string | null;
  maxBytes: number;
  limits: FeedLimits;
  /** The feed as configured: its stories' feedUrl, and the name they carry. */
  feedUrl: string;
  feedName: string | undefined;
  now: number;
}

export interface ParsedStories {
  stories: Story[];
  title: string;
  /** Items past the cap of one document, left for later polls. */
  dropped: number;
  warnings: string[];
}

export type ParseOutcome = { ok: true; value: ParsedStories } | { ok: false; kind: FeedErrorKind; message: string };

export function parseStories(input: ParseInput): ParseOutcome {
  try {
    const parsed = parseFeed(input.body, { url: input.finalUrl, contentType: input.contentType, maxBytes: input.maxBytes, limits: input.limits });
    const items = normaliseItems(parsed, input.feedUrl, sourceName(input.feedName, parsed, input.finalUrl), input.now);
    const future = futureDateWarning(items);
    const warnings = future === null ? parsed.warnings : [...parsed.warnings, future];
    return { ok: true, value: { stories: items.map((i) => i.story), title: parsed.title, dropped: parsed.dropped ?? 0, warnings } };
  } catch (err) {
    if (err instanceof FeedError) return { ok: false, kind: err.kind, message: err.message };
    throw err;
  }
}

/** The outcome as the poll reads it: the stories, or the FeedError again. */
export function unwrapParse(outcome: ParseOutcome): ParsedStories {
  if (outcome.ok) return outcome.value;
  throw new FeedError(outcome.kind, outcome.message);
}
