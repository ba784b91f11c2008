/**
 * The service's DedupeStore: fingerprints, LSH buckets, the feature index and
 * clusters in Redis under `{prefix}:dd:`, each key expiring `window + margin`
 * after its last update, and every cluster index capped, so memory follows
 * the window, not uptime. A lookup is two script round trips, one for ids
 * (lua/lookup.lua) and one for the records they name (lua/read.lua); a commit
 * (lua/commit.lua: merges, then the join) is one, more when the index
 * features of its clusters were not known in this process. Scripts declare
 * every key they touch and take one cjson argument table.
 *
 *   dd:s:<story>      hash   verdict, member no., time, signature, cluster
 *   dd:b:<span>       hash   LSH bucket → latest story in it, per window-long span of publication
 *   dd:f:<feature>    zset   clusters indexed by the feature, by last update
 *   dd:c:<cluster>    hash   first story's features (f), profile (p), index features (ix), first, last,
 *                            count (n), known event (k), merges (mg, JSON); a merged cluster: into, ik
 *   dd:c:<cluster>:m  list   members (capped)
 *   dd:clusters       zset   clusters by last update (merged ones leave it)
 *
 * <feature> and the features kept in dd:c are feature keys (fingerprint.ts
 * `featureKey`: 12 hex digits), never the words and names themselves.
 */
import { z } from "zod";
import { loadLua } from "../lua.js";
import { ownKey, type RedisClient } from "../queues/connection.js";
import { Dedupe } from "../model/index.js";
import { decodeFeatures, featureKey, storedFeatures } from "./fingerprint.js";
import { decodeSignature, encodeSignature } from "./minhash.js";
import { decodeProfile, encodeProfile } from "./profile.js";
import {
  CANDIDATES,
  INDEX_CAP,
  JOIN_INDEX_FEATURES,
  MEMBER_CAP,
  MERGED_INDEX_FEATURES,
  READ_PER_FEATURE,
  type ClusterSeed,
  type ClusterView,
  type CommitEntry,
  type CommitResult,
  type CopyCandidate,
  type DedupeStore,
  type LookupQuery,
  type MemberView,
  type MergeView,
  type Snapshot,
  type StoryRecord,
  spanOf,
  windowSpans,
} from "./store.js";

const COLLECT = loadLua(import.meta.url, "collect.lua");
const LOOKUP = `${COLLECT}\n${loadLua(import.meta.url, "lookup.lua")}`;
const READ = loadLua(import.meta.url, "read.lua");
const COMMIT = `${COLLECT}\n${loadLua(import.meta.url, "commit.lua")}`;

/** Decoded first-story features, and index features, kept per process. */
const SEED_CACHE = 10_000;

type Args = (string | number)[];
type ScriptRedis = RedisClient & {
  ddLookup(...args: Args): Promise<unknown>;
  ddRead(...args: Args): Promise<unknown>;
  ddCommit(...args: Args): Promise<unknown>;
};

const Reply = z.array(z.union([z.string(), z.number()]));
const Member = z.object({
  id: z.string(),
  title: z.string(),
  source: z.string(),
  link: z.string().nullable(),
  published: z.string(),
  verdict: Dedupe.shape.verdict,
});
const Merges = z.array(z.object({ id: z.string(), at: z.number(), count: z.number() }));

function withScripts(redis: RedisClient): ScriptRedis {
  if (!("ddLookup" in redis)) {
    redis.defineCommand("ddLookup", { lua: LOOKUP });
    redis.defineCommand("ddRead", { lua: READ });
    redis.defineCommand("ddCommit", { lua: COMMIT });
  }
  return redis as ScriptRedis;
}

function record(d: string, r: string, n: string | number): StoryRecord {
  const reported: unknown = JSON.parse(r);
  const dedupe = Dedupe.parse({ ...(JSON.parse(d) as object), alsoReportedBy: Array.isArray(reported) ? reported : [] });
  return { dedupe, member: Number(n) };
}

function merges(raw: string | null | undefined): MergeView[] {
  if (!raw) return [];
  const parsed = Merges.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : [];
}

/** A profile (raw features) as stored: hashed keys. */
function storedProfile(encoded: string): string {
  const out = new Map<string, number>();
  for (const [f, w] of decodeProfile(encoded)) out.set(featureKey(f), w);
  return encodeProfile(out);
}

export class RedisDedupeStore implements DedupeStore {
  private readonly redis: ScriptRedis;
  private readonly base: string;
  private readonly seeds = new Map<string, Map<string, number>>();
  /** Clusters' stored index features (`ix`), as last read or written: COMMIT names their keys. */
  private readonly indexes = new Map<string, string>();

  constructor(redis: RedisClient, prefix: string) {
    this.redis = withScripts(redis);
    this.base = ownKey(prefix, "dd");
  }

  /** A cluster's first-story features never change, and busy clusters come back in many lookups: decode each once. */
  private seedFeatures(id: string, encoded: string): Map<string, number> {
    const cached = this.seeds.get(id);
    if (cached) return cached;
    const features = decodeFeatures(encoded);
    if (this.seeds.size >= SEED_CACHE) this.seeds.delete(this.seeds.keys().next().value as string);
    this.seeds.set(id, features);
    return features;
  }

  private rememberIndex(cluster: string, ix: string): void {
    if (!this.indexes.has(cluster) && this.indexes.size >= SEED_CACHE) this.indexes.delete(this.indexes.keys().next().value as string);
    this.indexes.set(cluster, ix);
  }

  /** The story record, the LSH bucket hashes of its window's spans, then its index features' keys. */
  private keys(storyId: string, spans: readonly number[], index: readonly string[]): string[] {
    return [`${this.base}:s:${storyId}`, ...spans.map((d) => `${this.base}:b:${d}`), ...index.map((f) => `${this.base}:f:${featureKey(f)}`)];
  }

  private lookupFields(time: number, window: number, bands: readonly string[], nlookup: number) {
    return { nspans: windowSpans(time, window).length, nlookup, since: time - window, bands, read: READ_PER_FEATURE };
  }

  async lookup(q: LookupQuery): Promise<Snapshot> {
    const keys = this.keys(q.storyId, windowSpans(q.time, q.window), q.index);
    const arg = JSON.stringify(this.lookupFields(q.time, q.window, q.bands, keys.length));
    const reply = Reply.parse(await this.redis.ddLookup(keys.length, ...keys, arg)).map(String);
    if (reply[0] === "exists") return { existing: record(String(reply[1]), String(reply[2]), reply[3] ?? 1), copies: [], clusters: [], df: new Map(), token: "" };
    const ncopies = Number(reply[2]);
    const copyIds = reply.slice(3, 3 + ncopies);
    const counts = reply.slice(3 + ncopies, 3 + ncopies + q.index.length);
    const df = new Map(q.index.map((f, i) => [featureKey(f), Number(counts[i])]));
    const ranked = reply.slice(3 + ncopies + q.index.length);
    const copies: CopyCandidate[] = [];
    const clusters: ClusterSeed[] = [];
    if (ncopies + ranked.length === 0) return { existing: null, copies, clusters, df, token: String(reply[1]) };
    const ids = [...copyIds, ...ranked];
    const records = [...copyIds.map((id) => `${this.base}:s:${id}`), ...ranked.map((id) => `${this.base}:c:${id}`)];
    const read = Reply.parse(await this.redis.ddRead(records.length, ...records, JSON.stringify({ copies: ncopies, most: CANDIDATES }))).map(String);
    const found = Number(read[0]);
    for (let i = 1; i < read.length; ) {
      const id = ids[Number(read[i]) - 1] ?? "";
      if (copies.length < found) {
        const [t, g, c, k] = read.slice(i + 1, i + 5) as [string, string, string, string];
        copies.push({ id, time: Number(t), signature: decodeSignature(g), cluster: c, knownEvent: k || null });
        i += 5;
      } else {
        const [f, first, last, k, ix, p] = read.slice(i + 1, i + 7) as [string, string, string, string, string, string];
        this.rememberIndex(id, ix);
        clusters.push({ id, first: Number(first), last: Number(last), features: this.seedFeatures(id, f), profile: decodeProfile(p), knownEvent: k || null });
        i += 7;
      }
    }
    return { existing: null, copies, clusters, df, token: String(reply[1]) };
  }

  /** A cluster's stored index features, as last seen here; else those it opens with, if the story opens it. */
  private expectedIndex(id: string, e: CommitEntry): string {
    return this.indexes.get(id) ?? (id === e.dedupe.cluster ? e.open?.index.map(featureKey).join(" ") : undefined) ?? "";
  }

  /** The script arguments of a commit (and of a bulk load, `check` false); `ix`: index features expected per cluster id. */
  private commitArgs(e: CommitEntry, token: string, check: boolean, ix: ReadonlyMap<string, string>): Args {
    const spans = windowSpans(e.time, e.window);
    const lookupKeys = this.keys(e.storyId, spans, e.lookupIndex);
    const clusterKeys = (id: string) => {
      const features = (ix.get(id) ?? "").split(" ").filter(Boolean);
      return features.map((f) => `${this.base}:f:${f}`);
    };
    const cluster = `${this.base}:c:${e.dedupe.cluster}`;
    const keys = [
      ...lookupKeys,
      cluster,
      `${cluster}:m`,
      `${this.base}:clusters`,
      ...clusterKeys(e.dedupe.cluster),
      ...e.absorb.flatMap((id) => [`${this.base}:c:${id}`, `${this.base}:c:${id}:m`, ...clusterKeys(id)]),
    ];
    const arg = {
      ...this.lookupFields(e.time, e.window, e.bands, lookupKeys.length),
      check,
      token,
      id: e.storyId,
      time: e.time,
      sig: encodeSignature(e.signature),
      verdict: JSON.stringify(e.dedupe),
      cluster: e.dedupe.cluster,
      known: e.dedupe.knownEvent ?? "",
      member: JSON.stringify(e.member),
      source: e.member.source,
      open: e.open ? { features: storedFeatures(e.open.features), first: e.open.time, profile: storedProfile(e.open.profile) } : undefined,
      ix: ix.get(e.dedupe.cluster) ?? "",
      own: e.lookupIndex.map(featureKey),
      joinIndex: JOIN_INDEX_FEATURES,
      profile: storedProfile(e.profile),
      size: e.profileSize,
      absorb: e.absorb.map((id) => ({ id, ix: ix.get(id) ?? "" })),
      ttl: e.ttl,
      memberCap: MEMBER_CAP,
      indexCap: INDEX_CAP,
      mergedIndexCap: MERGED_INDEX_FEATURES,
      // KEYS[1] is the story record, then come the spans: the story's own span bucket by its position.
      ownSpan: 2 + spans.indexOf(spanOf(e.time, e.window)),
    };
    return [keys.length, ...keys, JSON.stringify(arg)];
  }

  private expected(e: CommitEntry): Map<string, string> {
    return new Map([e.dedupe.cluster, ...e.absorb].map((id) => [id, this.expectedIndex(id, e)]));
  }

  /** The outcome of a commit reply; `retry` when it named other index features than a cluster has (now remembered). */
  private outcome(e: CommitEntry, raw: unknown): CommitResult | "retry" {
    const reply = Reply.parse(raw).map(String);
    switch (reply[0]) {
      case "conflict":
        return { status: "conflict" };
      case "moved":
        return { status: "moved", from: e.dedupe.cluster, cluster: reply[1] ?? "", knownEvent: reply[2] || null };
      case "index":
        this.rememberIndex(reply[1] ?? "", reply[2] ?? "");
        return "retry";
      default:
        this.rememberIndex(e.dedupe.cluster, reply[4] ?? "");
        return { status: "done", record: record(reply[1] ?? "", reply[2] ?? "[]", reply[3] ?? 1) };
    }
  }

  async commit(e: CommitEntry, token: string): Promise<CommitResult> {
    // Another try for each cluster whose index features were not known here (the reply names them).
    for (let attempt = 0; attempt < 2 + e.absorb.length; attempt++) {
      const result = this.outcome(e, await this.redis.ddCommit(...this.commitArgs(e, token, true, this.expected(e))));
      if (result !== "retry") return result;
    }
    return { status: "conflict" };
  }

  /**
   * Remembers stories with their verdicts already decided, in one round trip (another for the few whose cluster's
   * index features were not known here) and without the lookup check: for bulk loads (the benchmark's fill), never
   * for live stories.
   */
  async load(entries: readonly CommitEntry[]): Promise<void> {
    let pending = [...entries];
    for (let attempt = 0; attempt < 2 && pending.length > 0; attempt++) {
      const pipe = this.redis.pipeline() as unknown as { ddCommit(...args: Args): void; exec(): Promise<[Error | null, unknown][] | null> };
      for (const e of pending) {
        const ix = this.expected(e);
        pipe.ddCommit(...this.commitArgs(e, "", false, ix));
        // Later entries of the batch joining this cluster name the same index features.
        this.rememberIndex(e.dedupe.cluster, ix.get(e.dedupe.cluster) ?? "");
      }
      const results = (await pipe.exec()) ?? [];
      pending = pending.filter((e, i) => {
        const [err, raw] = results[i] ?? [null, null];
        if (err) throw err;
        return this.outcome(e, raw) === "retry";
      });
    }
    if (pending.length > 0) throw new Error(`dedupe load: story ${pending[0]?.storyId}: its cluster's index features kept changing`);
  }

  async recentClusters(since: number, limit: number): Promise<ClusterView[]> {
    const ids = await this.redis.zrevrangebyscore(`${this.base}:clusters`, "+inf", since, "LIMIT", 0, limit);
    const pipe = this.redis.pipeline();
    for (const id of ids) pipe.hmget(`${this.base}:c:${id}`, "first", "last", "n", "k", "mg").lrange(`${this.base}:c:${id}:m`, 0, -1);
    const results = (await pipe.exec()) ?? [];
    return ids.flatMap((id, i) => {
      const fields = results[2 * i]?.[1] as (string | null)[] | undefined;
      const members = (results[2 * i + 1]?.[1] as string[] | undefined) ?? [];
      if (!fields?.[0]) return [];
      const parsed: MemberView[] = members.flatMap((m) => {
        const r = Member.safeParse(JSON.parse(m));
        return r.success ? [r.data] : [];
      });
      const view: ClusterView = { id, first: Number(fields[0]), last: Number(fields[1]), count: Number(fields[2]), knownEvent: fields[3] || null, members: parsed, merged: merges(fields[4]) };
      return [view];
    });
  }
}
