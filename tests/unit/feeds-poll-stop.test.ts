/** A poll stopped by its signal (shutdown) records nothing: the feed did not fail. Real fetcher, loopback server, in-memory state. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFetcher, type Fetcher } from "../../src/feeds/fetch/fetch.js";
import type { ParseInput, ParseOutcome } from "../../src/feeds/parse/parse-stories.js";
import { pollFeed, type PollDeps } from "../../src/feeds/poll.js";
import { fromHash, type FeedStatePatch, type FeedStateStore } from "../../src/feeds/state/feed-state.js";
import type { SeenStore } from "../../src/feeds/state/seen-store.js";
import { createLogger } from "../../src/logger.js";

let server: Server;
let base: string;
let fetcher: Fetcher;
let arrived: () => void = () => undefined;

beforeAll(async () => {
  // Answers nothing until the client gives up.
  server = createServer(() => arrived());
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fetcher = createFetcher({ timeout: 30_000, connectTimeout: 1_000, maxBytes: 10_000, blockPrivate: false });
});
afterAll(async () => {
  await fetcher.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

function deps(signal: AbortSignal, updates: FeedStatePatch[]): PollDeps {
  const states: FeedStateStore = {
    get: () => Promise.resolve(fromHash({})),
    update: (_url, patch) => {
      updates.push(patch);
      return Promise.resolve();
    },
  };
  const seen: SeenStore = { unseen: (_url, ids) => Promise.resolve(new Set(ids)), remember: () => Promise.resolve() };
  return {
    fetcher,
    states,
    seen,
    parse: (_input: ParseInput): Promise<ParseOutcome> => Promise.reject(new Error("nothing is parsed")),
    enqueueStories: () => Promise.resolve(),
    clock: { now: () => Date.UTC(2024, 0, 1) },
    log: createLogger({ level: "silent", pretty: false }),
    options: { interval: 60_000, horizon: 86_400_000, maxBackoff: 3_600_000, maxBytes: 10_000 },
    signal,
  };
}

describe("pollFeed with a signal", () => {
  it("throws the signal's reason and records no failure when stopped mid-fetch", async () => {
    const request = new Promise<void>((r) => (arrived = r));
    const stop = new AbortController();
    const reason = new Error("shutting down");
    const updates: FeedStatePatch[] = [];
    const polling = pollFeed({ url: `${base}/feed.xml`, backfill: false }, deps(stop.signal, updates));
    await request;
    stop.abort(reason);
    await expect(polling).rejects.toBe(reason);
    expect(updates).toEqual([]);
  });
});
