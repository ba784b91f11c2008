/**
 * The rows of `newswatch feeds`: every configured feed with its health from
 * Redis. Rows are for display only, so URLs lose their credentials here and
 * text from outside its control characters (state written by older versions
 * included).
 */
import type { FeedEntry } from "../../config/sections/feeds.js";
import { redactUrl, safeLine } from "../../logger.js";
import { printable } from "../../printable.js";
import type { FeedState, FeedStateStore } from "./feed-state.js";

export interface FeedStatus {
  /** The configured URL, credentials replaced by ***. */
  url: string;
  name: string | null;
  state: FeedState;
  /** When the next poll will fetch: after the backoff, else one interval after the last poll; null = at the next tick. */
  nextPoll: number | null;
}

function shownState(state: FeedState): FeedState {
  return {
    ...state,
    currentUrl: state.currentUrl === null ? null : redactUrl(state.currentUrl),
    lastError: state.lastError === null ? null : safeLine(state.lastError),
    lastWarning: state.lastWarning === null ? null : safeLine(state.lastWarning),
    title: state.title === null ? null : printable(state.title),
  };
}

export async function feedStatuses(feeds: readonly FeedEntry[], store: FeedStateStore, defaultInterval: number): Promise<FeedStatus[]> {
  return Promise.all(
    feeds.map(async (feed) => {
      const state = shownState(await store.get(feed.url));
      const interval = feed.interval ?? defaultInterval;
      const afterLast = state.lastPoll === null ? null : state.lastPoll + interval;
      const nextPoll = state.backoffUntil !== null && (afterLast === null || state.backoffUntil > afterLast) ? state.backoffUntil : afterLast;
      return { url: redactUrl(feed.url), name: feed.name === undefined ? state.title : printable(feed.name), state, nextPoll };
    }),
  );
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * An error or warning as a table cell beside the feed's URL: the URL (and
 * where the feed moved to) is already in its own column, so it is cut out of
 * the text, with the module prefix, leaving room for what went wrong:
 * "feeds/fetch: https://x.test/rss: getaddrinfo ENOTFOUND x.test" → "getaddrinfo ENOTFOUND x.test".
 */
export function withoutFeedUrl(text: string, status: Pick<FeedStatus, "url" | "state">): string {
  let out = text;
  for (const url of [status.url, status.state.currentUrl]) {
    if (url) out = out.replace(new RegExp(`${escapeRegExp(url)}(?=[\\s:;,)]|$)`, "g"), "");
  }
  return out
    .replace(/^feeds\/[\w-]+:/, "")
    .replace(/\s+:/g, ":")
    .replace(/\s{2,}/g, " ")
    .replace(/^[\s:]+/, "")
    .trim();
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A status as `feeds --json` prints it: every time an ISO 8601 string (null when unset), as in all the CLI's JSON. */
export function statusJson(s: FeedStatus): Record<string, unknown> {
  const { state } = s;
  return {
    url: s.url,
    name: s.name,
    ...state,
    backoffUntil: iso(state.backoffUntil),
    lastErrorAt: iso(state.lastErrorAt),
    lastSuccess: iso(state.lastSuccess),
    lastPoll: iso(state.lastPoll),
    nextPoll: iso(s.nextPoll),
  };
}
