import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dedupeStory, type DedupeDeps } from "../../src/dedupe/dedupe.js";
import { fingerprint, type StoryInput, type Vocabulary } from "../../src/dedupe/fingerprint.js";
import { MemoryDedupeStore } from "../../src/dedupe/memory-store.js";
import { RedisDedupeStore } from "../../src/dedupe/redis-store.js";
import { ownKey, type Redis } from "../../src/queues/connection.js";
import { connect, dropPrefix, testPrefix } from "../helpers/redis.js";

const vocab: Vocabulary = { actorEntities: new Set(["norland"]), actorTerms: new Set(["norland", "norlandic"]) };
const options = { window: 72 * 3_600_000, margin: 3_600_000, duplicateThreshold: 0.5, eventThreshold: 0.2, referenceThreshold: 0.22 };
const T0 = Date.parse("2031-05-04T08:00:00Z");
let n = 0;

function story(title: string, description: string, hours = 0, entities: StoryInput["entities"] = []): StoryInput {
  n++;
  return { id: n.toString(16).padStart(32, "a"), time: T0 + hours * 3_600_000, title, description, entities, topics: [] };
}

function run(deps: DedupeDeps, s: StoryInput, source: string) {
  const fp = fingerprint(s, vocab);
  return dedupeStory(fp, { id: s.id, title: s.title, source, link: null, published: new Date(s.time).toISOString(), verdict: "new" }, deps);
}

const harbour = [{ name: "Kessel Harbour", type: "place" as const }, { name: "Ada Brenner", type: "person" as const }];
const LEAD = "Admiral Ada Brenner opened the Kessel Harbour naval base on Tuesday, saying the new piers would host patrol ships.";

describe("RedisDedupeStore", () => {
  let redis: Redis;
  let other: Redis;
  const prefix = testPrefix("dedupe");

  beforeAll(() => {
    redis = connect();
    other = connect();
  });
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    await Promise.all([redis.quit(), other.quit()]);
  });

  it("gives the same verdicts as the in-memory store, and a re-run counts once", async () => {
    const redisDeps = { store: new RedisDedupeStore(redis, prefix), references: [], options };
    const memDeps = { store: new MemoryDedupeStore(), references: [], options };
    const stream: [StoryInput, string][] = [
      [story("Norland opens Kessel Harbour naval base", LEAD, 0, harbour), "Wire A"],
      [story("Norland opens Kessel Harbour naval base, official says", LEAD, 1, harbour), "Paper B"],
      [story("Brenner: Kessel piers will take patrol ships", "The new Kessel Harbour base, opened by Ada Brenner, gives the navy its first deep-water port.", 5, harbour), "Site C"],
      [story("Grain prices fall in Oster market", "Wheat traders in Oster reported lower prices after a large harvest.", 6), "Paper B"],
    ];
    const fromRedis = [];
    const fromMemory = [];
    for (const [s, source] of stream) {
      fromRedis.push(await run(redisDeps, s, source));
      fromMemory.push(await run(memDeps, s, source));
    }
    expect(fromRedis.map((r) => r.dedupe.verdict)).toEqual(["new", "duplicate", "same-event", "new"]);
    expect(fromRedis).toEqual(fromMemory);
    const first = stream[0]?.[0].id;
    expect(fromRedis[1]?.dedupe).toMatchObject({ of: first, cluster: first, alsoReportedBy: ["Wire A"] });
    expect(fromRedis[2]?.dedupe.alsoReportedBy).toEqual(["Wire A", "Paper B"]);
    expect(fromRedis[2]?.member).toBe(3);

    const again = await run(redisDeps, stream[2]?.[0] as StoryInput, "Site C");
    expect(again).toEqual(fromRedis[2]);
    const [view] = await redisDeps.store.recentClusters(0, 10).then((cs) => cs.filter((c) => c.id === first));
    expect(view?.count).toBe(3);
    expect(view?.members.map((m) => m.source)).toEqual(["Wire A", "Paper B", "Site C"]);
  });

  it("expires every key it writes", async () => {
    const keys = await redis.keys(`${ownKey(prefix, "dd")}:*`);
    expect(keys.length).toBeGreaterThan(0);
    const ttls = await Promise.all(keys.map((k) => redis.pttl(k)));
    expect(ttls.every((t) => t > 0 && t <= options.window + options.margin)).toBe(true);
  });

  it("lets only one of two workers open a cluster for one event", async () => {
    const a = { store: new RedisDedupeStore(redis, prefix), references: [], options };
    const b = { store: new RedisDedupeStore(other, prefix), references: [], options };
    for (let round = 0; round < 5; round++) {
      const ents = [{ name: `Port Round${round}`, type: "place" as const }, { name: `Captain Vale${round}`, type: "person" as const }];
      const x = story(`Port Round${round} welcomes frigate`, `Captain Vale${round} brought the frigate into Port Round${round} for a week of visits.`, 100 + round * 200, ents);
      const y = story(`Frigate docks at Port Round${round}`, `A frigate under Captain Vale${round} docked at Port Round${round} on a week-long visit.`, 100 + round * 200, ents);
      const [rx, ry] = await Promise.all([run(a, x, "One"), run(b, y, "Two")]);
      const verdicts = [rx.dedupe.verdict, ry.dedupe.verdict].sort();
      expect(verdicts).toEqual(["new", "same-event"]);
      expect(rx.dedupe.cluster).toBe(ry.dedupe.cluster);
    }
  });
});
