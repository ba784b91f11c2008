/** The seen set on real Redis: any number of ids in bounded commands, and a cap by count as well as age. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSeenStore, seenKey } from "../../src/feeds/state/seen-store.js";
import type { Redis } from "../../src/queues/connection.js";
import { connect, dropPrefix, testPrefix } from "../helpers/redis.js";

const DAY = 86_400_000;
let redis: Redis;
const prefix = testPrefix("seen");
beforeAll(() => {
  redis = connect();
});
afterAll(async () => {
  await dropPrefix(redis, prefix);
  await redis.quit();
});

const ids = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}-${i.toString(16).padStart(8, "0")}`);

describe("seen store", () => {
  it("remembers and looks up 100,000 ids of one feed (no command with 200,000 arguments)", async () => {
    const store = createSeenStore(redis, prefix, 90 * DAY, 200_000);
    const many = ids(100_000, "big");
    await store.remember("https://feeds.example/big", many, 1_000);
    expect(await redis.zcard(seenKey(prefix, "https://feeds.example/big"))).toBe(100_000);
    const unseen = await store.unseen("https://feeds.example/big", [...many.slice(0, 5), "new-1"]);
    expect([...unseen]).toEqual(["new-1"]);
  });

  it("keeps at most `max` ids per feed, dropping those unseen longest", async () => {
    const store = createSeenStore(redis, prefix, 90 * DAY, 1_000);
    const feed = "https://feeds.example/capped";
    await store.remember(feed, ids(1_500, "old"), 1_000);
    await store.remember(feed, ids(500, "new"), 2_000);
    expect(await redis.zcard(seenKey(prefix, feed))).toBe(1_000);
    expect((await store.unseen(feed, ids(500, "new"))).size).toBe(0);
    // 1,500 old ids and room for 500 of them: the newest writes win, so 1,000 old ones are forgotten.
    expect((await store.unseen(feed, ids(1_500, "old"))).size).toBe(1_000);
  });

  it("forgets ids older than the TTL and gives the key a TTL", async () => {
    const store = createSeenStore(redis, prefix, DAY, 10_000);
    const feed = "https://feeds.example/aged";
    await store.remember(feed, ["a"], 0);
    await store.remember(feed, ["b"], 2 * DAY);
    expect([...(await store.unseen(feed, ["a", "b"]))]).toEqual(["a"]);
    const ttl = await redis.pttl(seenKey(prefix, feed));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(DAY);
  });

  it("fails, naming the feed, when a command inside the transaction fails", async () => {
    const store = createSeenStore(redis, prefix, DAY, 10_000);
    const feed = "https://reader:secret@feeds.example/clobbered";
    await redis.set(seenKey(prefix, feed), "not a sorted set");
    const err = await store.remember(feed, ["a"], 1_000).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^feeds\/seen-store: remembering 1 item\(s\) of https:\/\/\*\*\*:\*\*\*@feeds\.example\/clobbered in .*WRONGTYPE/);
    expect((err as Error).message).not.toContain("secret");
  });
});
