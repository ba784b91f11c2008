import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dedupeStory, type DedupeDeps } from "../../src/dedupe/dedupe.js";
import { fingerprint, type StoryInput, type Vocabulary } from "../../src/dedupe/fingerprint.js";
import { MemoryDedupeStore } from "../../src/dedupe/memory-store.js";
import { RedisDedupeStore } from "../../src/dedupe/redis-store.js";
import type { DedupeStore } from "../../src/dedupe/store.js";
import { ownKey, type Redis } from "../../src/queues/connection.js";
import { connect, dropPrefix, testPrefix } from "../helpers/redis.js";

const vocab: Vocabulary = { actorEntities: new Set(), actorTerms: new Set() };
const options = { window: 72 * 3_600_000, margin: 3_600_000, duplicateThreshold: 0.5, eventThreshold: 0.2, referenceThreshold: 0.22, mergeThreshold: 0.35, halfLife: 4 * 86_400_000, profileSize: 64, idfStrength: 0, disagreement: 0 };
const T0 = Date.parse("2031-06-01T08:00:00Z");

/** Two angles of one event (each side's officials), and two reports naming both: any order must end in one cluster. */
function event(round: number): StoryInput[] {
  const host = { name: `Olen Marsk${round}`, type: "person" as const };
  const guest = { name: `Tavi Rund${round}`, type: "person" as const };
  const hall = { name: `Kerrow Hall${round}`, type: "place" as const };
  const port = { name: `Sella Port${round}`, type: "place" as const };
  const at = (h: number) => T0 + round * 10 * 86_400_000 + h * 3_600_000;
  const id = (k: number) => (round * 16 + k).toString(16).padStart(32, "0");
  return [
    { id: id(1), time: at(0), title: `Marsk${round} hosts envoy at Kerrow${round}`, description: `Olen Marsk${round} welcomed a delegation at Kerrow Hall${round}.`, entities: [host, hall], topics: [] },
    { id: id(2), time: at(1), title: `Rund${round} lands in Sella${round}`, description: `Tavi Rund${round} arrived at Sella Port${round} for a visit.`, entities: [guest, port], topics: [] },
    { id: id(3), time: at(2), title: `Marsk${round} and Rund${round} meet`, description: `Olen Marsk${round} received Tavi Rund${round}, who came through Sella Port${round}, at Kerrow Hall${round}.`, entities: [host, guest, hall, port], topics: [] },
    { id: id(4), time: at(3), title: `Rund${round} visit: Marsk${round} talks at Kerrow${round}`, description: `Tavi Rund${round} held talks with Olen Marsk${round} at Kerrow Hall${round} after landing at Sella Port${round}.`, entities: [host, guest, hall, port], topics: [] },
  ];
}

function run(deps: DedupeDeps, s: StoryInput) {
  return dedupeStory(fingerprint(s, vocab), { id: s.id, title: s.title, source: `src-${s.id.slice(-2)}`, link: null, published: new Date(s.time).toISOString(), verdict: "new" }, deps);
}

async function clustersOf(store: DedupeStore, ids: readonly string[]) {
  const all = await store.recentClusters(0, 1000);
  return all.filter((c) => c.members.some((m) => ids.includes(m.id)));
}

describe("dedupe merges on Redis", () => {
  let redis: Redis;
  let other: Redis;
  const prefix = testPrefix("merge");

  beforeAll(() => {
    redis = connect();
    other = connect();
  });
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    await Promise.all([redis.quit(), other.quit()]);
  });

  it("merges two angles of one event when a report names both, as the in-memory store does", async () => {
    const stories = event(0);
    const redisDeps = { store: new RedisDedupeStore(redis, prefix), references: [], options };
    const memory = new MemoryDedupeStore();
    const memDeps = { store: memory, references: [], options };
    const fromRedis = [];
    const fromMemory = [];
    for (const s of stories) {
      fromRedis.push(await run(redisDeps, s));
      fromMemory.push(await run(memDeps, s));
    }
    expect(fromRedis).toEqual(fromMemory);
    expect(fromRedis.slice(0, 2).map((r) => r.dedupe.verdict)).toEqual(["new", "new"]);
    const ids = stories.map((s) => s.id);
    const [view, ...rest] = await clustersOf(redisDeps.store, ids);
    expect(rest).toEqual([]);
    expect(view?.count).toBe(4);
    expect(view?.id).toBe(ids[0]);
    expect(view?.merged.map((m) => m.id)).toEqual([ids[1]]);
    expect(await clustersOf(memory, ids)).toEqual([view]);
    expect(memory.survivor(ids[1] as string).id).toBe(ids[0]);
    // Every key, the merged cluster's pointer included, still expires.
    const keys = await redis.keys(`${ownKey(prefix, "dd")}:*`);
    const ttls = await Promise.all(keys.map((k) => redis.pttl(k)));
    expect(ttls.every((t) => t > 0)).toBe(true);
  });

  it("ends with one cluster however two workers interleave the stories of two clusters that must merge", async () => {
    for (let round = 1; round <= 25; round++) {
      const [a1, b1, c1, c2] = event(round) as [StoryInput, StoryInput, StoryInput, StoryInput];
      const one = { store: new RedisDedupeStore(redis, prefix), references: [], options };
      const two = { store: new RedisDedupeStore(other, prefix), references: [], options };
      // Alternate which worker carries which angle and bridge, so both merge directions race.
      const [x, y] = round % 2 === 0 ? [[a1, c1], [b1, c2]] : [[b1, c1], [a1, c2]];
      await Promise.all([
        (async () => {
          for (const s of x as StoryInput[]) await run(one, s);
        })(),
        (async () => {
          for (const s of y as StoryInput[]) await run(two, s);
        })(),
      ]);
      const ids = [a1, b1, c1, c2].map((s) => s.id);
      const clusters = await clustersOf(one.store, ids);
      expect(clusters, `round ${round}`).toHaveLength(1);
      expect(clusters[0]?.count).toBe(4);
      expect(clusters[0]?.members.map((m) => m.id).sort()).toEqual([...ids].sort());
    }
  });

  it("changes nothing when a job runs again", async () => {
    const stories = event(40);
    const deps = { store: new RedisDedupeStore(redis, prefix), references: [], options };
    const first = [];
    for (const s of stories) first.push(await run(deps, s));
    const own = ownKey(prefix, "dd");
    const snapshot = async () => {
      const keys = (await redis.keys(`${own}:*`)).filter((k) => !k.includes(":b:")).sort();
      return Promise.all(
        keys.map(async (k) => {
          const type = await redis.type(k);
          if (type === "hash") return [k, await redis.hgetall(k)];
          if (type === "list") return [k, await redis.lrange(k, 0, -1)];
          return [k, await redis.zrange(k, 0, -1, "WITHSCORES")];
        }),
      );
    };
    const before = await snapshot();
    for (const [i, s] of stories.entries()) {
      expect(await run({ ...deps, store: new RedisDedupeStore(other, prefix) }, s)).toEqual(first[i]);
    }
    expect(await snapshot()).toEqual(before);
  });
});
