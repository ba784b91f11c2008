/**
 * The service's DedupeStore: fingerprints, LSH buckets, the feature index and
 * clusters in Redis under `{prefix}:dd:`, each key expiring `window + margin`
 * after its last update, and every cluster index capped, so memory follows
 * the window, not uptime. A lookup is two script round trips, one for ids
 * and one for the records they name (scripts declare every key they touch,
 * redis-scripts.ts); a commit is one script round trip, two when the
 * cluster's index features were not known in this process.
 *
 *   dd:s:<story>      hash   verdict, member no., time, signature, cluster
 *   dd:b:<span>       hash   LSH bucket → latest story in it, per window-long span of publication
 *   dd:f:<feature>    zset   clusters whose first story has the feature, by last update
 *   dd:c:<cluster>    hash   first story's features, index features, first, last, count
 *
 * <feature> and the features and index features kept in dd:c are feature
 * keys (fingerprint.ts `featureKey`: 12 hex digits), never the words and
 * names themselves.
 *   dd:c:<cluster>:m  list   members (capped)
 *   dd:clusters       zset   clusters by last update
 */
import { z } from "zod";
import { ownKey, type RedisClient } from "../queues/connection.js";
import { Dedupe } from "../model/index.js";
import { decodeFeatures, featureKey, storedFeatures } from "./fingerprint.js";
import { decodeSignature, encodeSignature } from "./minhash.js";
import { COMMIT, FILL, LOOKUP, READ } from "./redis-scripts.js";
import {
  CANDIDATES,
  INDEX_CAP,
  MEMBER_CAP,
  type ClusterSeed,
  type ClusterView,
  type CommitEntry,
  type CommitResult,
  type CopyCandidate,
  type DedupeStore,
  type LookupQuery,
  type MemberView,
  type Snapshot,
  type StoryRecord,
  spanOf,
  windowSpans,
} from "./store.js";

/** Decoded first-story features, and index features, kept per process. */
const SEED_CACHE = 10_000;

type Args = (string | number)[];
type ScriptRedis = RedisClient & {
  ddLookup(...args: Args): Promise<unknown>;
  ddRead(...args: Args): Promise<unknown>;
  ddCommit(...args: Args): Promise<unknown>;
  ddFill(...args: Args): Promise<unknown>;
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

function withScripts(redis: RedisClient): ScriptRedis {
  if (!("ddLookup" in redis)) {
    redis.defineCommand("ddLookup", { lua: LOOKUP });
    redis.defineCommand("ddRead", { lua: READ });
    redis.defineCommand("ddCommit", { lua: COMMIT });
    redis.defineCommand("ddFill", { lua: FILL });
  }
  return redis as ScriptRedis;
}

function record(d: string, r: string, n: string | number): StoryRecord {
  const reported: unknown = JSON.parse(r);
  const dedupe = Dedupe.parse({ ...(JSON.parse(d) as object), alsoReportedBy: Array.isArray(reported) ? reported : [] });
  return { dedupe, member: Number(n) };
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

  async lookup(q: LookupQuery): Promise<Snapshot> {
    const spans = windowSpans(q.time, q.window);
    const keys = this.keys(q.storyId, spans, q.index);
    const args = [this.base, spans.length, q.time - q.window, q.bands.join(" ")];
    const reply = Reply.parse(await this.redis.ddLookup(keys.length, ...keys, ...args)).map(String);
    if (reply[0] === "exists") return { existing: record(String(reply[1]), String(reply[2]), reply[3] ?? 1), copies: [], clusters: [], token: "" };
    const ncopies = Number(reply[2]);
    const copyIds = reply.slice(3, 3 + ncopies);
    const ranked = reply.slice(3 + ncopies);
    const copies: CopyCandidate[] = [];
    const clusters: ClusterSeed[] = [];
    if (ncopies + ranked.length === 0) return { existing: null, copies, clusters, token: String(reply[1]) };
    const ids = [...copyIds, ...ranked];
    const records = [...copyIds.map((id) => `${this.base}:s:${id}`), ...ranked.map((id) => `${this.base}:c:${id}`)];
    const read = Reply.parse(await this.redis.ddRead(records.length, ...records, ncopies, CANDIDATES)).map(String);
    const found = Number(read[0]);
    for (let i = 1; i < read.length; ) {
      const id = ids[Number(read[i]) - 1] ?? "";
      if (copies.length < found) {
        const [t, g, c, k] = read.slice(i + 1, i + 5) as [string, string, string, string];
        copies.push({ id, time: Number(t), signature: decodeSignature(g), cluster: c, knownEvent: k || null });
        i += 5;
      } else {
        const [f, first, last, k, ix] = read.slice(i + 1, i + 6) as [string, string, string, string, string];
        this.rememberIndex(id, ix);
        clusters.push({ id, first: Number(first), last: Number(last), features: this.seedFeatures(id, f), knownEvent: k || null });
        i += 6;
      }
    }
    return { existing: null, copies, clusters, token: String(reply[1]) };
  }

  /** The cluster's stored index features, as last seen here; else those it opens with, if the story opens it. */
  private expectedIndex(e: CommitEntry): string {
    return this.indexes.get(e.dedupe.cluster) ?? e.open?.index.map(featureKey).join(" ") ?? "";
  }

  /** The script arguments of a commit (and of a bulk load, which ignores the token); `ix`: the cluster's index features. */
  private commitArgs(e: CommitEntry, token: string, ix: string): Args {
    const spans = windowSpans(e.time, e.window);
    const lookupKeys = this.keys(e.storyId, spans, e.lookupIndex);
    const cluster = `${this.base}:c:${e.dedupe.cluster}`;
    const ixKeys = ix.split(" ").filter(Boolean).map((f) => `${this.base}:f:${f}`);
    const keys = [...lookupKeys, cluster, `${cluster}:m`, `${this.base}:clusters`, ...ixKeys];
    return [
      keys.length,
      ...keys,
      this.base,
      spans.length,
      e.time - e.window,
      e.bands.join(" "),
      token,
      e.storyId,
      e.time,
      encodeSignature(e.signature),
      JSON.stringify(e.dedupe),
      e.dedupe.cluster,
      e.dedupe.knownEvent ?? "",
      JSON.stringify(e.member),
      e.member.source,
      e.open ? "1" : "0",
      e.open ? storedFeatures(e.open.features) : "",
      e.open?.index.map(featureKey).join(" ") ?? "",
      e.open?.time ?? e.time,
      e.ttl,
      MEMBER_CAP,
      INDEX_CAP,
      // KEYS[1] is the story record, then come the spans: the story's own span bucket by its position.
      2 + spans.indexOf(spanOf(e.time, e.window)),
      lookupKeys.length,
    ];
  }

  async commit(e: CommitEntry, token: string): Promise<CommitResult> {
    let ix = this.expectedIndex(e);
    // A second try only when the first named other index features than the cluster has (it replies with the right ones).
    for (let attempt = 0; attempt < 2; attempt++) {
      const reply = Reply.parse(await this.redis.ddCommit(...this.commitArgs(e, token, ix)));
      if (reply[0] === "conflict") return { status: "conflict" };
      if (reply[0] === "index") {
        ix = String(reply[1] ?? "");
        continue;
      }
      this.rememberIndex(e.dedupe.cluster, ix);
      return { status: "done", record: record(String(reply[1]), String(reply[2]), reply[3] ?? 1) };
    }
    return { status: "conflict" };
  }

  /**
   * Remembers stories with their verdicts already decided, in one round trip (another for the few whose cluster's
   * index features were not known here) and without the lookup check: for bulk loads (the benchmark's fill), never
   * for live stories.
   */
  async load(entries: readonly CommitEntry[]): Promise<void> {
    let pending = entries.map((e) => ({ e, ix: this.expectedIndex(e) }));
    for (let attempt = 0; attempt < 2 && pending.length > 0; attempt++) {
      const pipe = this.redis.pipeline() as unknown as { ddFill(...args: Args): void; exec(): Promise<[Error | null, unknown][] | null> };
      for (const { e, ix } of pending) {
        pipe.ddFill(...this.commitArgs(e, "", ix));
        // Later entries of the batch joining this cluster name the same index features.
        this.rememberIndex(e.dedupe.cluster, ix);
      }
      const results = (await pipe.exec()) ?? [];
      pending = pending.flatMap(({ e }, i) => {
        const [err, raw] = results[i] ?? [null, null];
        if (err) throw err;
        const reply = Reply.parse(raw);
        return reply[0] === "index" ? [{ e, ix: String(reply[1] ?? "") }] : [];
      });
    }
    if (pending.length > 0) throw new Error(`dedupe load: story ${pending[0]?.e.storyId}: its cluster's index features kept changing`);
  }

  async recentClusters(since: number, limit: number): Promise<ClusterView[]> {
    const ids = await this.redis.zrevrangebyscore(`${this.base}:clusters`, "+inf", since, "LIMIT", 0, limit);
    const pipe = this.redis.pipeline();
    for (const id of ids) pipe.hmget(`${this.base}:c:${id}`, "first", "last", "n", "k").lrange(`${this.base}:c:${id}:m`, 0, -1);
    const results = (await pipe.exec()) ?? [];
    return ids.flatMap((id, i) => {
      const fields = results[2 * i]?.[1] as (string | null)[] | undefined;
      const members = (results[2 * i + 1]?.[1] as string[] | undefined) ?? [];
      if (!fields?.[0]) return [];
      const parsed: MemberView[] = members.flatMap((m) => {
        const r = Member.safeParse(JSON.parse(m));
        return r.success ? [r.data] : [];
      });
      return [{ id, first: Number(fields[0]), last: Number(fields[1]), count: Number(fields[2]), knownEvent: fields[3] || null, members: parsed }];
    });
  }
}
