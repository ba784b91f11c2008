/**
 * The poll stage: what runs when a feed's job scheduler fires. The HTTP
 * agent (keep-alive connections) is shared by every poll of this process.
 *
 * Credentials in a feed URL (`https://user:pass@host/feed`): the poll job's
 * payload (`PollJob.feed`, written by service/schedulers.ts into the job
 * scheduler's template) keeps the real URL, because this stage fetches from
 * it; a poll worker cannot look the feed up in its own config instead, since
 * it may run another version of the config than the process that scheduled
 * the feed. What this stage writes on is redacted: the classify job's
 * `feedUrl` and each story's (which only say where a story came from;
 * nothing looks a feed up by them) and the message of an error that fails
 * the job (stored by BullMQ as the failure reason and logged).
 */
import { createArchiveWriter } from "../archive/writer.js";
import { enqueue, jobOptions } from "../queues/factory.js";
import { createFeedStateStore } from "../feeds/state/feed-state.js";
import { createFetcher } from "../feeds/fetch/fetch.js";
import { pollFeed, type PollDeps } from "../feeds/poll.js";
import { createSeenStore } from "../feeds/state/seen-store.js";
import { redactError, redactUrl } from "../logger.js";
import { createInlineCpu, TaskBudgetError } from "../offload/pool.js";
import type { ParseInput, ParseOutcome } from "../feeds/parse/parse-stories.js";
import type { StageContext, StageFactory } from "./stage.js";

/** Parsing on the CPU pool (this thread without one): a document that overruns the budget is that feed's parse error. */
function poolParse(ctx: StageContext): PollDeps["parse"] {
  const cpu = ctx.cpu ?? createInlineCpu(ctx.config.topics);
  return async (input: ParseInput): Promise<ParseOutcome> => {
    try {
      return await cpu.run({ kind: "parse", input }, `parsing ${redactUrl(input.feedUrl)}`);
    } catch (err) {
      if (err instanceof TaskBudgetError) return { ok: false, kind: "parse", message: err.message };
      throw err;
    }
  };
}

/**
 * Feed state outlives a feed's silence by the same margin as its seen items.
 * Each classify job's stories are archived after the job is added, so the
 * archive can neither lose nor hold up a story; it logs its own failures.
 */
export function pollDeps(ctx: StageContext): PollDeps {
  const { config } = ctx;
  const d = config.defaults;
  const archive = createArchiveWriter(ctx);
  return {
    parse: poolParse(ctx),
    fetcher: createFetcher({ timeout: d.timeout, connectTimeout: d.connectTimeout, maxBytes: d.maxBytes, blockPrivate: config.network.blockPrivate }),
    states: createFeedStateStore(ctx.redis, config.redis.prefix, d.seenTtl),
    seen: createSeenStore(ctx.redis, config.redis.prefix, d.seenTtl, d.seenMax),
    enqueueStories: async (jobId, feedUrl, stories) => {
      // Every story of a poll comes from the feed being polled: redact its URL once.
      const shown = redactUrl(feedUrl);
      const tagged = stories.map((s) => ({ ...s, feedUrl: shown }));
      await enqueue(ctx.queues, "classify", jobId, { feedUrl: shown, stories: tagged }, jobOptions(config.stages));
      await archive.append(shown, tagged);
    },
    clock: ctx.clock,
    log: ctx.log,
    options: { interval: d.interval, horizon: d.horizon, maxBackoff: d.maxBackoff, maxBytes: d.maxBytes, limits: config.limits, itemsPerPoll: d.itemsPerPoll },
  };
}

export const createPollStage: StageFactory<"poll"> = (ctx) => {
  const deps = pollDeps(ctx);
  return {
    queue: "poll",
    concurrency: ctx.config.stages.poll.concurrency,
    run: async (data, { log, signal }) => {
      try {
        return await pollFeed(data.feed, { ...deps, log, signal });
      } catch (err) {
        throw redactError(err);
      }
    },
    close: () => deps.fetcher.close(),
  };
};
