/**
 * Dedupe verdicts per second with 10^3, 10^5 and 10^6 stories remembered in
 * Redis (quick: 10^3, 10^4, 10^5), the per-verdict cost at each size as a
 * ratio of the cost at 10^3 (bar at the largest: ≤ 1.5), and Redis bytes per
 * remembered story. Stories are synthetic (a 50k-word Zipf vocabulary), all
 * inside one window, the worst case for the feature index; half the measured
 * stories are copies of remembered ones, half are new. Fills use pipelined
 * loads on throwaway prefixes that are dropped afterwards.
 *
 * The machine is shared, so a cost measured minutes apart says as much about
 * the load then as about the size: each size is timed in alternating rounds
 * against a fresh 10^3-story prefix, and the ratio is of those paired times.
 * Bytes per story come from MEMORY USAGE of sampled keys of each kind (story
 * records, LSH buckets, feature index, clusters, member lists) times the
 * number of keys of that kind, over the stories remembered: the server's
 * used_memory also moves with every other client of a shared Redis. (MEMORY
 * USAGE leaves out each key's expiry entry, a few dozen bytes.)
 */
import { randomUUID } from "node:crypto";
import { DedupeSection } from "../src/config/sections/dedupe.js";
import { dedupeOptions, dedupeStory, type DedupeDeps } from "../src/dedupe/dedupe.js";
import { encodeFeatures, fingerprint, indexFeatures, type Vocabulary } from "../src/dedupe/fingerprint.js";
import { encodeProfile, profileOf } from "../src/dedupe/profile.js";
import { RedisDedupeStore } from "../src/dedupe/redis-store.js";
import { INDEX_FEATURES, type CommitEntry } from "../src/dedupe/store.js";
import { createRedis, keyTag, type Redis } from "../src/queues/connection.js";

const VOCAB = 50_000;
const NAMES = 20_000;
const T0 = Date.parse("2030-01-01T00:00:00Z");
/** The shipped dedupe settings: what the service runs. */
const options = dedupeOptions(DedupeSection.parse({}));
const vocab: Vocabulary = { actorEntities: new Set(), actorTerms: new Set() };

/** mulberry32: the same story text for the same seed, so a copy can be rebuilt later. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Word ranks follow Zipf–Mandelbrot (p ∝ 1/(rank + 100)), as news words do: a few common, most rare. */
const CUMULATIVE = (() => {
  const out = new Float64Array(VOCAB);
  let sum = 0;
  for (let r = 0; r < VOCAB; r++) out[r] = sum += 1 / (r + 101);
  return out.map((c) => c / sum);
})();

function zipfRank(u: number): number {
  let lo = 0;
  let hi = VOCAB - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((CUMULATIVE[mid] as number) < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function synthetic(seed: number, id: string) {
  const r = rng(seed);
  const word = () => `v${zipfRank(r()).toString(36)}`;
  const title = Array.from({ length: 10 }, word).join(" ");
  const description = Array.from({ length: 28 }, word).join(" ");
  const entities = [0, 1].map(() => ({ name: `Person ${Math.floor(r() * NAMES)}`, type: "person" as const }));
  return fingerprint({ id, time: T0 + seed, title, description, entities, topics: [] }, vocab);
}

const idOf = (n: number) => n.toString(16).padStart(32, "0");

function fillEntry(seed: number): CommitEntry {
  const fp = synthetic(seed, idOf(seed));
  const index = indexFeatures(fp.features, INDEX_FEATURES);
  return {
    storyId: fp.id,
    time: fp.time,
    signature: fp.signature,
    bands: fp.bands,
    lookupIndex: index,
    dedupe: { verdict: "new", cluster: fp.id, of: null, score: 0, entities: fp.entities, knownEvent: null },
    member: { id: fp.id, title: "synthetic", source: `S${seed % 50}`, link: null, published: new Date(fp.time).toISOString(), verdict: "new" },
    open: { features: encodeFeatures(fp.features), index, knownEvent: null, time: fp.time, profile: "" },
    profile: encodeProfile(profileOf(fp.features)),
    profileSize: options.profileSize,
    absorb: [],
    window: options.window,
    ttl: options.window + options.margin,
  };
}

/** The kinds of key under `dd:` (redis-store.ts), by the part after the prefix. */
function kindOf(key: string): string {
  const rest = key.slice(key.indexOf(":dd:") + 4);
  if (rest.startsWith("c:")) return rest.endsWith(":m") ? "members" : "cluster";
  return { s: "story", b: "buckets", f: "index", clusters: "recent" }[rest.split(":")[0] as string] ?? "other";
}

const SAMPLES = 200;

/** Estimated bytes per kind of key: MEMORY USAGE of up to SAMPLES keys of each kind (spread over the scan), times the kind's key count. */
async function memoryByKind(redis: Redis, prefix: string): Promise<Map<string, number>> {
  const kinds = new Map<string, { count: number; sample: string[] }>();
  const stream = redis.scanStream({ match: `${keyTag(prefix)}*`, count: 5_000 });
  for await (const keys of stream as AsyncIterable<string[]>) {
    for (const key of keys) {
      const kind = kinds.get(kindOf(key)) ?? { count: 0, sample: [] };
      kind.count++;
      // Every k-th key once the sample is full would need the count ahead; a random replacement keeps it uniform.
      if (kind.sample.length < SAMPLES) kind.sample.push(key);
      else if (Math.random() < SAMPLES / kind.count) kind.sample[Math.floor(Math.random() * SAMPLES)] = key;
      kinds.set(kindOf(key), kind);
    }
  }
  const out = new Map<string, number>();
  for (const [kind, { count, sample }] of kinds) {
    const pipe = redis.pipeline();
    for (const key of sample) pipe.memory("USAGE", key, "SAMPLES", 0);
    const sizes = ((await pipe.exec()) ?? []).map(([, v]) => Number(v ?? 0));
    out.set(kind, (sizes.reduce((a, b) => a + b, 0) / Math.max(sizes.length, 1)) * count);
  }
  return out;
}

async function fill(store: RedisDedupeStore, from: number, to: number): Promise<void> {
  // The next batch is built while Redis runs the previous one.
  let loading: Promise<void> = Promise.resolve();
  for (let filled = from; filled < to; ) {
    const batch = Array.from({ length: Math.min(2_000, to - filled) }, (_, i) => fillEntry(filled + i));
    await loading;
    loading = store.load(batch);
    filled += batch.length;
  }
  await loading;
}

async function drop(redis: Redis, prefix: string): Promise<void> {
  const stream = redis.scanStream({ match: `${keyTag(prefix)}*`, count: 5_000 });
  for await (const keys of stream as AsyncIterable<string[]>) if (keys.length > 0) await redis.unlink(...keys);
}

async function measure(deps: DedupeDeps, remembered: number, count: number, next: () => number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const n = next();
    // Even: a copy (same text, new id) of a remembered story; odd: a new story.
    const seed = i % 2 === 0 ? Math.floor(rng(n)() * remembered) : 10_000_000 + n;
    const fp = synthetic(seed, idOf(20_000_000 + n));
    await dedupeStory(fp, { id: fp.id, title: "probe", source: "Probe", link: null, published: new Date(fp.time).toISOString(), verdict: "new" }, deps);
  }
  return Number(process.hrtime.bigint() - started) / 1e6 / count;
}

const ROUNDS = 10;
const BASE = 1_000;

export async function runDedupeBench(opts: { redisUrl: string; quick: boolean }): Promise<string[]> {
  const sizes = opts.quick ? [1_000, 10_000, 100_000] : [1_000, 100_000, 1_000_000];
  const probes = opts.quick ? 400 : 1_000;
  const redis = createRedis(opts.redisUrl);
  const run = randomUUID().slice(0, 8);
  const prefix = `nwbench-dedupe-${run}`;
  const basePrefix = (size: number) => `nwbench-dedupe-${run}-base${size}`;
  const deps: DedupeDeps = { store: new RedisDedupeStore(redis, prefix), references: [], options };
  const lines = [
    `dedupe: verdicts against N stories remembered in Redis (${probes} verdicts per size, one at a time, in ${ROUNDS} rounds alternating with a fresh ${BASE.toLocaleString("en-US")}-story prefix)`,
  ];
  const ratios: number[] = [];
  let filled = 0;
  let probe = 0;
  try {
    for (const size of sizes) {
      const fillStart = Date.now();
      await fill(deps.store as RedisDedupeStore, filled, size);
      filled = size;
      const fillSeconds = (Date.now() - fillStart) / 1000;
      const kinds = await memoryByKind(redis, prefix);
      const bytes = [...kinds.values()].reduce((a, b) => a + b, 0) / filled;
      const base: DedupeDeps = { ...deps, store: new RedisDedupeStore(redis, basePrefix(size)) };
      await fill(base.store as RedisDedupeStore, 0, BASE);
      // Warm up both, then time them in turns.
      await measure(deps, size, probes / 4, () => probe++);
      await measure(base, BASE, probes / 4, () => probe++);
      let big = 0;
      let small = 0;
      for (let r = 0; r < ROUNDS; r++) {
        big += await measure(deps, size, probes / ROUNDS, () => probe++);
        small += await measure(base, BASE, probes / ROUNDS, () => probe++);
      }
      await drop(redis, basePrefix(size));
      const cost = big / ROUNDS;
      ratios.push(big / small);
      const perKind = [...kinds].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${Math.round(v / filled)}`).join(", ");
      lines.push(
        `  N=${size.toLocaleString("en-US").padStart(9)}: ${Math.round(1000 / cost).toLocaleString("en-US").padStart(6)} verdicts/s, ` +
          `${(cost * 1000).toFixed(0)} µs/verdict (${(big / small).toFixed(2)}x the ${BASE.toLocaleString("en-US")}-story prefix's), ` +
          `${Math.round(bytes).toLocaleString("en-US")} Redis bytes/story (${perKind}) (fill ${fillSeconds.toFixed(1)} s)`,
      );
    }
    lines.push(`  cost per verdict at N=${sizes[sizes.length - 1]?.toLocaleString("en-US")} / at N=${BASE.toLocaleString("en-US")}: ${(ratios[ratios.length - 1] as number).toFixed(2)}x (bar: <= 1.5x)`);
    return lines;
  } finally {
    await drop(redis, prefix);
    for (const size of sizes) await drop(redis, basePrefix(size));
    await redis.quit();
  }
}
