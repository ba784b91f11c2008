/**
 * Dedupe verdicts per second with 10^3, 10^5 and 10^6 stories remembered in
 * Redis (quick: 10^3, 10^4, 10^5), the per-verdict cost at the largest size
 * as a ratio of the cost at the smallest (bar: ≤ 1.5), and Redis bytes per
 * remembered story. Stories are synthetic (a 50k-word Zipf vocabulary), all
 * inside one window, the worst case for the feature index; half the measured
 * stories are copies of remembered ones, half are new. Fills use pipelined loads on a
 * throwaway prefix that is dropped afterwards.
 */
import { randomUUID } from "node:crypto";
import { dedupeStory, type DedupeDeps } from "../src/dedupe/dedupe.js";
import { encodeFeatures, fingerprint, indexFeatures, type Vocabulary } from "../src/dedupe/fingerprint.js";
import { RedisDedupeStore } from "../src/dedupe/redis-store.js";
import { INDEX_FEATURES, type CommitEntry } from "../src/dedupe/store.js";
import { createRedis, keyTag, type Redis } from "../src/queues/connection.js";

const VOCAB = 50_000;
const NAMES = 20_000;
const T0 = Date.parse("2030-01-01T00:00:00Z");
const options = { window: 72 * 3_600_000, margin: 24 * 3_600_000, duplicateThreshold: 0.5, eventThreshold: 0.2, referenceThreshold: 0.22 };
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
    open: { features: encodeFeatures(fp.features), index, knownEvent: null, time: fp.time },
    window: options.window,
    ttl: options.window + options.margin,
  };
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info("memory");
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
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

export async function runDedupeBench(opts: { redisUrl: string; quick: boolean }): Promise<string[]> {
  const sizes = opts.quick ? [1_000, 10_000, 100_000] : [1_000, 100_000, 1_000_000];
  const probes = opts.quick ? 400 : 1_000;
  const redis = createRedis(opts.redisUrl);
  const prefix = `nwbench-dedupe-${randomUUID().slice(0, 8)}`;
  const store = new RedisDedupeStore(redis, prefix);
  const deps: DedupeDeps = { store, references: [], options };
  const lines = [`dedupe: verdicts against N stories remembered in Redis (${probes} verdicts per size, one at a time)`];
  const costs: number[] = [];
  let filled = 0;
  let probe = 0;
  try {
    const before = await usedMemory(redis);
    for (const size of sizes) {
      const fillStart = Date.now();
      // The next batch is built while Redis runs the previous one.
      let loading: Promise<void> = Promise.resolve();
      while (filled < size) {
        const batch = Array.from({ length: Math.min(2_000, size - filled) }, (_, i) => fillEntry(filled + i));
        await loading;
        loading = store.load(batch);
        filled += batch.length;
      }
      await loading;
      const fillSeconds = (Date.now() - fillStart) / 1000;
      const bytes = ((await usedMemory(redis)) - before) / filled;
      // Let Redis finish growing its tables after the fill, and warm up, before timing.
      await new Promise((r) => setTimeout(r, 2_000));
      await measure(deps, size, probes / 4, () => probe++);
      const cost = await measure(deps, size, probes, () => probe++);
      costs.push(cost);
      lines.push(
        `  N=${size.toLocaleString("en-US").padStart(9)}: ${Math.round(1000 / cost).toLocaleString("en-US").padStart(6)} verdicts/s, ` +
          `${(cost * 1000).toFixed(0)} µs/verdict, ${Math.round(bytes).toLocaleString("en-US")} Redis bytes/story (fill ${fillSeconds.toFixed(1)} s)`,
      );
    }
    const ratio = (costs[costs.length - 1] as number) / (costs[0] as number);
    lines.push(`  cost per verdict at N=${sizes[sizes.length - 1]?.toLocaleString("en-US")} / at N=${sizes[0]?.toLocaleString("en-US")}: ${ratio.toFixed(2)}x (bar: <= 1.5x)`);
    return lines;
  } finally {
    const stream = redis.scanStream({ match: `${keyTag(prefix)}*`, count: 5_000 });
    for await (const keys of stream as AsyncIterable<string[]>) if (keys.length > 0) await redis.unlink(...keys);
    await redis.quit();
  }
}
