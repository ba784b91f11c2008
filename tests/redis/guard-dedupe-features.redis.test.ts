import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dedupeStory } from "../../src/dedupe/dedupe.js";
import { decodeFeatures, fingerprint, type StoryInput, type Vocabulary } from "../../src/dedupe/fingerprint.js";
import { MemoryDedupeStore } from "../../src/dedupe/memory-store.js";
import { RedisDedupeStore } from "../../src/dedupe/redis-store.js";
import { ownKey, type Redis } from "../../src/queues/connection.js";
import { connect, dropPrefix, testPrefix } from "../helpers/redis.js";

const vocab: Vocabulary = { actorEntities: new Set(), actorTerms: new Set() };
const options = { window: 72 * 3_600_000, margin: 3_600_000, duplicateThreshold: 0.5, eventThreshold: 0.2, referenceThreshold: 0.22, mergeThreshold: 0.35, halfLife: 4 * 86_400_000, profileSize: 64, idfStrength: 0, disagreement: 0 };
const T = Date.parse("2031-06-01T08:00:00Z");
const HUGE = `Star*Port  Authority ${"y".repeat(10_000)}`;
const KEY = /^[0-9a-f]{12}$/;

function story(id: string, title: string, description: string, hours: number): StoryInput {
  const entities = [{ name: HUGE, type: "org" as const }, { name: "Ada Brenner", type: "person" as const }];
  return { id: id.padStart(32, "0"), time: T + hours * 3_600_000, title, description, entities, topics: ["a b*c"] };
}

const stream = [
  story("1", "Star port opens a pier", "Ada Brenner opened the pier of the star port authority.", 0),
  story("2", "Authority names new pier master", "The star port authority said Ada Brenner will run the pier.", 3),
];

describe("RedisDedupeStore with odd features", () => {
  let redis: Redis;
  const prefix = testPrefix("guard-dd");

  beforeAll(() => {
    redis = connect();
  });
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    await redis.quit();
  });

  it("keys and keeps only feature hashes, and decides as the in-memory store does", async () => {
    const redisDeps = { store: new RedisDedupeStore(redis, prefix), references: [], options };
    const memDeps = { store: new MemoryDedupeStore(), references: [], options };
    const fromRedis = [];
    const fromMemory = [];
    for (const s of stream) {
      const member = { id: s.id, title: s.title, source: `S${s.id}`, link: null, published: new Date(s.time).toISOString(), verdict: "new" as const };
      fromRedis.push(await dedupeStory(fingerprint(s, vocab), member, redisDeps));
      fromMemory.push(await dedupeStory(fingerprint(s, vocab), member, memDeps));
    }
    expect(fromRedis).toEqual(fromMemory);
    expect(fromRedis.map((r) => r.dedupe.verdict)).toEqual(["new", "same-event"]);
    expect(fromRedis[1]?.dedupe.entities).toEqual(expect.arrayContaining([HUGE, "Ada Brenner"]));

    const base = ownKey(prefix, "dd");
    const keys = await redis.keys(`${base}:*`);
    const indexKeys = keys.filter((k) => k.startsWith(`${base}:f:`));
    expect(indexKeys.length).toBeGreaterThan(0);
    for (const k of indexKeys) expect(k.slice(`${base}:f:`.length)).toMatch(KEY);
    expect(Math.max(...keys.map((k) => k.length))).toBeLessThan(base.length + 60);

    const cluster = await redis.hmget(`${base}:c:${stream[0]?.id}`, "f", "ix");
    const features = decodeFeatures(cluster[0] ?? "");
    expect(features.size).toBeGreaterThan(5);
    for (const f of features.keys()) expect(f).toMatch(KEY);
    for (const f of (cluster[1] ?? "").split(" ")) expect(f).toMatch(KEY);
    expect(cluster.join(" ")).not.toContain("yyyy");
  });
});
