/**
 * The in-memory DedupeStore of the offline CLI and eval: the same lookups and
 * commit rules as the Redis store (lua/commit.lua, step for step: merges,
 * then the join), in one process, so what eval measures is what the service
 * does. Not bounded by time (an offline run is). Features are kept hashed as
 * in Redis, so that eval compares what the service compares.
 */
import { decodeFeatures, featureKey, hashFeatures } from "./fingerprint.js";
import { addProfiles, decodeProfile, type Profile } from "./profile.js";
import {
  CANDIDATES,
  INDEX_CAP,
  MEMBER_CAP,
  READ_PER_FEATURE,
  joinedIndex,
  mergedIndex,
  reportedBy,
  type ClusterSeed,
  type ClusterView,
  type CommitEntry,
  type CommitResult,
  type CopyCandidate,
  type DedupeStore,
  type LookupQuery,
  type Snapshot,
  type StoryRecord,
  spanOf,
  windowSpans,
} from "./store.js";

interface ClusterState extends ClusterView {
  /** The first story's features, hashed, decoded once: lookups return them as they are (no caller changes a seed). */
  features: Map<string, number>;
  profile: Profile;
  /** Index feature keys, space-separated (as Redis keeps `ix`). */
  index: string;
  /** Set when merged into another cluster, with that cluster's known event then. */
  into: string | null;
  intoKnown: string | null;
}

/** A profile (raw features) as the stores keep it: hashed keys, weights as given. */
function storedProfile(encoded: string): Profile {
  const out: Profile = new Map();
  for (const [f, w] of decodeProfile(encoded)) out.set(featureKey(f), w);
  return out;
}

export class MemoryDedupeStore implements DedupeStore {
  private readonly stories = new Map<string, { record: StoryRecord; copy: CopyCandidate }>();
  private readonly buckets = new Map<string, string>();
  /** feature key → cluster id → last update */
  private readonly index = new Map<string, Map<string, number>>();
  private readonly clusters = new Map<string, ClusterState>();
  /** Bumped by every commit: a lookup older than the last commit may have missed it. */
  private version = 0;

  async lookup(query: LookupQuery): Promise<Snapshot> {
    const existing = this.stories.get(query.storyId)?.record ?? null;
    const copies: CopyCandidate[] = [];
    for (const span of windowSpans(query.time, query.window)) {
      for (const band of query.bands) {
        const id = this.buckets.get(`${span}:${band}`);
        const story = id === undefined ? undefined : this.stories.get(id);
        if (story && !copies.some((c) => c.id === story.copy.id)) copies.push(story.copy);
      }
    }
    const hits = new Map<string, number>();
    const df = new Map<string, number>();
    const since = query.time - query.window;
    for (const f of query.index) {
      const recent: [string, number][] = [];
      for (const entry of this.index.get(featureKey(f)) ?? []) if (entry[1] >= since) recent.push(entry);
      df.set(featureKey(f), recent.length);
      recent.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : -1));
      for (let i = 0; i < Math.min(recent.length, READ_PER_FEATURE); i++) {
        const id = (recent[i] as [string, number])[0];
        hits.set(id, (hits.get(id) ?? 0) + 1);
      }
    }
    // Most hits first, ties in order of first hit (Map order), as the Redis lookup does.
    const top = [...hits]
      .sort((a, b) => b[1] - a[1])
      .map(([id]) => id);
    const clusters: ClusterSeed[] = [];
    for (const id of top) {
      const c = this.clusters.get(id);
      if (clusters.length >= CANDIDATES) break;
      // Profiles are replaced, never changed in place, so the snapshot can share them.
      if (c && c.into === null) clusters.push({ id, first: c.first, last: c.last, features: c.features, profile: c.profile, knownEvent: c.knownEvent });
    }
    return { existing, copies, clusters, df, token: String(this.version) };
  }

  async commit(entry: CommitEntry, token: string): Promise<CommitResult> {
    const existing = this.stories.get(entry.storyId);
    if (existing) return { status: "done", record: existing.record };
    if (token !== String(this.version)) return { status: "conflict" };
    const id = entry.dedupe.cluster;
    const target = this.clusters.get(id);
    if (target?.into) return { status: "moved", from: id, cluster: target.into, knownEvent: target.intoKnown };
    if (entry.absorb.some((a) => this.clusters.get(a)?.into)) return { status: "conflict" };
    this.version++;

    let cluster = target;
    if (!cluster) {
      const open = entry.open;
      const features = open ? hashFeatures(decodeFeatures(open.features)) : new Map<string, number>();
      cluster = {
        id,
        first: open?.time ?? entry.time,
        last: open?.time ?? entry.time,
        count: 0,
        knownEvent: open?.knownEvent ?? entry.dedupe.knownEvent,
        members: [],
        merged: [],
        features,
        profile: storedProfile(open?.profile ?? ""),
        index: open?.index.map(featureKey).join(" ") ?? "",
        into: null,
        intoKnown: null,
      };
      this.clusters.set(id, cluster);
    }
    for (const loserId of entry.absorb) this.merge(cluster, loserId, entry);

    cluster.first = Math.min(cluster.first, entry.time);
    cluster.last = Math.max(cluster.last, entry.time);
    cluster.count++;
    cluster.profile = addProfiles([cluster.profile, storedProfile(entry.profile)], entry.profileSize);
    cluster.index = joinedIndex(cluster.index, entry.lookupIndex.map(featureKey));
    const alsoReportedBy = reportedBy(cluster.members, entry.member);
    cluster.members = [...cluster.members, entry.member].slice(-MEMBER_CAP);
    for (const f of cluster.index.split(" ").filter(Boolean)) this.addToIndex(f, id, cluster.last);

    const record: StoryRecord = { dedupe: { ...entry.dedupe, alsoReportedBy }, member: cluster.count };
    const copy = { id: entry.storyId, time: entry.time, signature: entry.signature, cluster: id, knownEvent: entry.dedupe.knownEvent };
    this.stories.set(entry.storyId, { record, copy });
    for (const band of entry.bands) this.buckets.set(`${spanOf(entry.time, entry.window)}:${band}`, entry.storyId);
    return { status: "done", record };
  }

  /** Moves a cluster's stories, profile and index entries into `survivor`; the loser keeps only a pointer. */
  private merge(survivor: ClusterState, loserId: string, entry: CommitEntry): void {
    const loser = this.clusters.get(loserId);
    if (!loser || loserId === survivor.id) return;
    survivor.first = Math.min(survivor.first, loser.first);
    survivor.last = Math.max(survivor.last, loser.last);
    survivor.count += loser.count;
    survivor.members = [...survivor.members, ...loser.members].slice(-MEMBER_CAP);
    survivor.profile = addProfiles([survivor.profile, loser.profile], entry.profileSize);
    survivor.knownEvent ??= loser.knownEvent;
    survivor.merged = [...survivor.merged, { id: loserId, at: entry.time, count: loser.count }];
    for (const f of loser.index.split(" ").filter(Boolean)) {
      this.index.get(f)?.delete(loserId);
      this.addToIndex(f, survivor.id, survivor.last);
    }
    survivor.index = mergedIndex(survivor.index, loser.index);
    loser.into = survivor.id;
    loser.intoKnown = survivor.knownEvent;
    loser.members = [];
  }

  /** The cluster a (possibly merged) cluster id now is, following merge pointers. */
  survivor(id: string): { id: string; knownEvent: string | null } {
    let c = this.clusters.get(id);
    while (c?.into) c = this.clusters.get(c.into);
    return c ? { id: c.id, knownEvent: c.knownEvent } : { id, knownEvent: null };
  }

  async recentClusters(since: number, limit: number): Promise<ClusterView[]> {
    return [...this.clusters.values()]
      .filter((c) => c.into === null && c.last >= since)
      .sort((a, b) => b.last - a.last)
      .slice(0, limit)
      .map(({ id, first, last, count, knownEvent, members, merged }) => ({ id, first, last, count, knownEvent, members, merged }));
  }

  private addToIndex(feature: string, id: string, last: number): void {
    const entries = this.index.get(feature) ?? new Map<string, number>();
    entries.set(id, last);
    if (entries.size > INDEX_CAP) {
      // As ZREMRANGEBYRANK 0: the lowest score, ties the smallest id.
      const oldest = [...entries].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))[0];
      if (oldest) entries.delete(oldest[0]);
    }
    this.index.set(feature, entries);
  }
}
