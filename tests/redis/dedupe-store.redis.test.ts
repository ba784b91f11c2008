import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dedupeStory, type DedupeDeps } from "../../src/dedupe/dedupe.js";
import { encodeFeatures, fingerprint, indexFeatures, type StoryInput, type Vocabulary } from "../../src/dedupe/fingerprint.js";
import { MemoryDedupeStore } from "../../src/dedupe/memory-store.js";
import { encodeProfile, profileOf } from "../../src/dedupe/profile.js";
import { RedisDedupeStore } from "../../src/dedupe/redis-store.js";
import { INDEX_FEATURES } from "../../src/dedupe/store.js";
import { ownKey, type Redis } from "../../src/queues/connection.js";
import { connect, dropPrefix, testPrefix } from "../helpers/redis.js";
import { waitFor } from "../helpers/wait-for.js";

const vocab: Vocabulary = { actorEntities: new Set(["norland"]), actorTerms: new Set(["norland", "norlandic"]) };
const options = { window: 72 * 3_600_000, margin: 3_600_000, duplicateThreshold: 0.5, eventThreshold: 0.2, referenceThreshold: 0.22, mergeThreshold: 0.35, halfLife: 4 * 86_400_000, profileSize: 64, idfStrength: 0, disagreement: 0 };
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
    await dropPrefix(redis, `${prefix}:idf`);
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

  it("counts recent clusters per index feature (IDF) as the in-memory store does, and decides alike with it on", async () => {
    const idfOptions = { ...options, idfStrength: 1 };
    const redisStore = new RedisDedupeStore(redis, `${prefix}:idf`);
    const memStore = new MemoryDedupeStore();
    // Three distinct events naming Velmar, then a report of the first: "velmar" is in three recent clusters.
    const stream: StoryInput[] = [
      story("Norland opens Kessel Harbour naval base for Velmar visits", LEAD, 0, harbour),
      story("Norland grain exports reach record", "Norland shipped more wheat than ever to Velmar this spring.", 2),
      story("Norland signs fishing pact with Velmar", "Norland and Velmar agreed quotas for the northern fishing grounds.", 4),
      story("Norland navy takes first patrol ships at Kessel", "The Kessel Harbour base opened by Ada Brenner received its first patrol ships.", 6, harbour),
    ];
    const fromRedis = [];
    const fromMemory = [];
    for (const s of stream) {
      fromRedis.push(await run({ store: redisStore, references: [], options: idfOptions }, s, "Wire A"));
      fromMemory.push(await run({ store: memStore, references: [], options: idfOptions }, s, "Wire A"));
    }
    expect(fromRedis).toEqual(fromMemory);
    const probe = fingerprint(story("Norland names new envoy", "Norland appointed an envoy to Velmar.", 8), vocab);
    const query = { storyId: probe.id, time: probe.time, bands: probe.bands, index: indexFeatures(probe.features, INDEX_FEATURES), window: options.window };
    const [fromRedisDf, fromMemoryDf] = [(await redisStore.lookup(query)).df, (await memStore.lookup(query)).df];
    expect(fromRedisDf).toEqual(fromMemoryDf);
    expect(Math.max(...fromRedisDf.values())).toBeGreaterThanOrEqual(3);
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

  it("names in KEYS every key its scripts touch", async () => {
    // MONITOR lists a script's EVAL/EVALSHA, then each command the script runs (source "lua"), with nothing between.
    const own = ownKey(prefix, "dd");
    const seen: string[][] = [];
    const monitor = await redis.monitor();
    monitor.on("monitor", (_time: string, args: string[], source: string) => seen.push(source === "lua" ? ["lua", ...args] : args));
    try {
      const deps = { store: new RedisDedupeStore(redis, prefix), references: [], options };
      const ents = [{ name: "Lake Ostra", type: "place" as const }, { name: "Mira Tolland", type: "person" as const }];
      const lead = "Mayor Mira Tolland closed the Lake Ostra ferry after a storm damaged the landing on Monday night.";
      const opener = story("Storm shuts Lake Ostra ferry", lead, 900, ents);
      const follow = story("Tolland: Lake Ostra landing needs weeks of repair", "Repairs to the Lake Ostra landing, closed by Mira Tolland after the storm, will take weeks.", 902, ents);
      const verdicts = [
        await run(deps, opener, "One"),
        await run(deps, story("Storm shuts Lake Ostra ferry, mayor says", lead, 901, ents), "Two"),
        await run(deps, follow, "Three"),
        // A fresh store has not seen the cluster: it joins it through a copy and learns its index features from COMMIT.
        await run({ ...deps, store: new RedisDedupeStore(redis, prefix) }, { ...follow, id: "f".repeat(32), time: follow.time + 60_000 }, "Four"),
      ].map((r) => r.dedupe.verdict);
      expect(verdicts).toEqual(["new", "duplicate", "same-event", "duplicate"]);
      // Bulk loads: a cluster opened and joined in one batch, then joined by a store that must learn its index features.
      const fp = fingerprint(story("Grain barge runs aground near Ostra", "A grain barge ran aground near Ostra.", 950), vocab);
      const index = indexFeatures(fp.features, INDEX_FEATURES);
      const entry = (id: string, open: boolean) => ({
        storyId: id,
        time: fp.time,
        signature: fp.signature,
        bands: fp.bands,
        lookupIndex: index,
        dedupe: { verdict: open ? ("new" as const) : ("same-event" as const), cluster: fp.id, of: null, score: 0, entities: [], knownEvent: null },
        member: { id, title: "barge", source: id.slice(0, 4), link: null, published: new Date(fp.time).toISOString(), verdict: "new" as const },
        open: open ? { features: encodeFeatures(fp.features), index, knownEvent: null, time: fp.time, profile: "" } : null,
        profile: encodeProfile(profileOf(fp.features)),
        profileSize: options.profileSize,
        absorb: [],
        window: options.window,
        ttl: options.window + options.margin,
      });
      await new RedisDedupeStore(redis, prefix).load([entry(fp.id, true), entry("e".repeat(32), false)]);
      await new RedisDedupeStore(redis, prefix).load([entry("d".repeat(32), false)]);
      expect(await redis.hget(`${own}:c:${fp.id}`, "n")).toBe("3");
      const marker = `${own}:monitor-done`;
      await redis.exists(marker);
      await waitFor(() => seen.some((a) => a.includes(marker)), { timeout: 5_000, what: "the marker command in MONITOR" });
    } finally {
      monitor.disconnect();
    }

    let declared: string[] | null = null;
    const touched: string[] = [];
    for (const args of seen) {
      const command = args[0]?.toLowerCase() ?? "";
      if (command.startsWith("eval")) {
        const keys = args.slice(3, 3 + Number(args[2]));
        declared = keys.some((k) => k.startsWith(own)) ? keys : null;
      } else if (command === "lua" && declared) {
        const keys = (await redis.call("COMMAND", "GETKEYS", ...args.slice(1))) as string[];
        for (const k of keys) expect(declared, `${args.slice(1, 3).join(" ")} in a script`).toContain(k);
        touched.push(...keys);
      } else declared = null;
    }
    // Not vacuous: the scripts read and wrote story, bucket, cluster, member, index and recent-cluster keys.
    for (const kind of [":s:", ":b:", ":f:", ":clusters"]) expect(touched.some((k) => k.includes(kind))).toBe(true);
    expect(touched.some((k) => /:c:[0-9a-f]+$/.test(k))).toBe(true);
    expect(touched.some((k) => /:c:[0-9a-f]+:m$/.test(k))).toBe(true);
  });
});
