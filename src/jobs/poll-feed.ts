/**
 * The poll stage: what runs when a feed's job scheduler fires. The HTTP
 * agent (keep-alive connections) is shared by every poll of this process.
 */
import { enqueue } from "../queues/factory.js";
import { createFeedStateStore } from "../feeds/feed-state.js";
import { createFetcher } from "../feeds/fetch.js";
import { pollFeed, type PollDeps } from "../feeds/poll.js";
import { createSeenStore } from "../feeds/seen-store.js";
import type { StageContext, StageFactory } from "./stage.js";

/** Feed state outlives a feed's silence by the same margin as its seen items. */
export function pollDeps(ctx: StageContext): PollDeps {
  const { config } = ctx;
  const d = config.defaults;
  return {
    fetcher: createFetcher({ timeout: d.timeout, connectTimeout: d.connectTimeout, maxBytes: d.maxBytes, blockPrivate: config.network.blockPrivate }),
    states: createFeedStateStore(ctx.redis, config.redis.prefix, d.seenTtl),
    seen: createSeenStore(ctx.redis, config.redis.prefix, d.seenTtl, d.seenMax),
    enqueueStories: (jobId, feedUrl, stories) => enqueue(ctx.queues, "classify", jobId, { feedUrl, stories }),
    clock: ctx.clock,
    log: ctx.log,
    options: { interval: d.interval, horizon: d.horizon, maxBackoff: d.maxBackoff, maxBytes: d.maxBytes },
  };
}

export const createPollStage: StageFactory<"poll"> = (ctx) => {
  const deps = pollDeps(ctx);
  return {
    queue: "poll",
    // Polls wait on the network, not the CPU; one slow feed must not hold up the others.
    concurrency: 50,
    process: (data, _job, log) => pollFeed(data.feed, { ...deps, log }),
    close: () => deps.fetcher.close(),
  };
};
