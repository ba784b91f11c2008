/** The rows of `newswatch feeds`: every configured feed with its health from Redis. */
import type { FeedEntry } from "../config/sections/feeds.js";
import type { FeedState, FeedStateStore } from "./feed-state.js";

export interface FeedStatus {
  url: string;
  name: string | null;
  state: FeedState;
  /** When the next poll will fetch: after the backoff, else one interval after the last poll; null = at the next tick. */
  nextPoll: number | null;
}

export async function feedStatuses(feeds: readonly FeedEntry[], store: FeedStateStore, defaultInterval: number): Promise<FeedStatus[]> {
  return Promise.all(
    feeds.map(async (feed) => {
      const state = await store.get(feed.url);
      const interval = feed.interval ?? defaultInterval;
      const afterLast = state.lastPoll === null ? null : state.lastPoll + interval;
      const nextPoll = state.backoffUntil !== null && (afterLast === null || state.backoffUntil > afterLast) ? state.backoffUntil : afterLast;
      return { url: feed.url, name: feed.name ?? state.title, state, nextPoll };
    }),
  );
}
