/**
 * The service's DedupeStore: fingerprints, LSH buckets, the feature index and
 * clusters in Redis under `{prefix}:dd:`, each key expiring `window + margin`
 * after its last update, and every cluster index capped, so memory follows
 * the window, not uptime. One script round trip per lookup and per commit.
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
import { Dedupe } from "../queues/payloads.js";
import { decodeFeatures, featureKey, storedFeatures } from "./fingerprint.js";
import { decodeSignature, encodeSignature } from "./minhash.js";
import { COMMIT, FILL, LOOKUP } from "./redis-scripts.js";
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

/** Decoded first-story features kept per process. */
const SEED_CACHE = 10_000;

type Args = (string | number)[];
type ScriptRedis = RedisClient & {
  ddLookup(...args: Args): Promise<unknown>;
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

  /** The story record, the LSH bucket hashes of its window's spans, then its index features' keys. */
  private keys(storyId: string, spans: readonly number[], index: readonly string[]): string[] {
    return [`${this.base}:s:${storyId}`, ...spans.map((d) => `${this.base}:b:${d}`), ...index.map((f) => `${this.base}:f:${featureKey(f)}`)];
  }

  async lookup(q: LookupQuery): Promise<Snapshot> {
    const spans = windowSpans(q.time, q.window);
    const keys = this.keys(q.storyId, spans, q.index);
    const args = [this.base, spans.length, q.time - q.window, q.bands.join(" "), CANDIDATES];
    const reply = Reply.parse(await this.redis.ddLookup(keys.length, ...keys, ...args));
    if (reply[0] === "exists") return { existing: record(String(reply[1]), String(reply[2]), reply[3] ?? 1), copies: [], clusters: [], token: "" };
    const copies: CopyCandidate[] = [];
    const clusters: ClusterSeed[] = [];
    const ncopies = Number(reply[2]);
    for (let i = 3; i + 4 < reply.length; i += 5) {
      const [id, a, b, c, k] = reply.slice(i, i + 5).map(String) as [string, string, string, string, string];
      if (copies.length < ncopies) copies.push({ id, time: Number(a), signature: decodeSignature(b), cluster: c, knownEvent: k || null });
      else clusters.push({ id, first: Number(b), last: Number(c), features: this.seedFeatures(id, a), knownEvent: k || null });
    }
    return { existing: null, copies, clusters, token: String(reply[1]) };
  }

  /** The script arguments of a commit (and of a bulk load, which ignores the token). */
  private commitArgs(e: CommitEntry, token: string): Args {
    const spans = windowSpans(e.time, e.window);
    const keys = this.keys(e.storyId, spans, e.lookupIndex);
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
    ];
  }

  async commit(e: CommitEntry, token: string): Promise<CommitResult> {
    const reply = Reply.parse(await this.redis.ddCommit(...this.commitArgs(e, token)));
    if (reply[0] === "conflict") return { status: "conflict" };
    return { status: "done", record: record(String(reply[1]), String(reply[2]), reply[3] ?? 1) };
  }

  /** Remembers stories with their verdicts already decided, in one round trip and without the lookup check: for bulk loads (the benchmark's fill), never for live stories. */
  async load(entries: readonly CommitEntry[]): Promise<void> {
    const pipe = this.redis.pipeline() as unknown as { ddFill(...args: Args): void; exec(): Promise<unknown> };
    for (const e of entries) pipe.ddFill(...this.commitArgs(e, ""));
    await pipe.exec();
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
