/**
 * The rows of `newswatch feeds`: every configured feed with its health from
 * Redis. Rows are for display only, so URLs lose their credentials here and
 * text from outside its control characters (state written by older versions
 * included).
 */
import type { FeedEntry } from "../config/sections/feeds.js";
import { redactUrl, safeLine } from "../logger.js";
import { printable } from "../printable.js";
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
