/**
 * The in-memory DedupeStore of the offline CLI and eval: the same lookups and
 * commit rules as the Redis store, in one process, so what eval measures is
 * what the service does. Not bounded by time (an offline run is). Features
 * are kept hashed as in Redis, so that eval compares what the service compares.
 */
import { decodeFeatures, featureKey, storedFeatures } from "./fingerprint.js";
import {
  CANDIDATES,
  INDEX_CAP,
  MEMBER_CAP,
  READ_PER_FEATURE,
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
  features: string;
  index: readonly string[];
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
    for (const f of query.index) {
      const recent = [...(this.index.get(featureKey(f)) ?? [])]
        .filter(([, last]) => last >= query.time - query.window)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : -1))
        .slice(0, READ_PER_FEATURE);
      for (const [id] of recent) hits.set(id, (hits.get(id) ?? 0) + 1);
    }
    // Most hits first, ties in order of first hit (Map order), as the Redis lookup does.
    const top = [...hits]
      .sort((a, b) => b[1] - a[1])
      .slice(0, CANDIDATES)
      .map(([id]) => id);
    const clusters: ClusterSeed[] = [];
    for (const id of top) {
      const c = this.clusters.get(id);
      if (c) clusters.push({ id, first: c.first, last: c.last, features: decodeFeatures(c.features), knownEvent: c.knownEvent });
    }
    return { existing, copies, clusters, token: String(this.version) };
  }

  async commit(entry: CommitEntry, token: string): Promise<CommitResult> {
    const existing = this.stories.get(entry.storyId);
    if (existing) return { status: "done", record: existing.record };
    if (token !== String(this.version)) return { status: "conflict" };
    this.version++;

    const id = entry.dedupe.cluster;
    let cluster = this.clusters.get(id);
    if (!cluster) {
      const open = entry.open;
      cluster = {
        id,
        first: open?.time ?? entry.time,
        last: open?.time ?? entry.time,
        count: 0,
        knownEvent: open?.knownEvent ?? entry.dedupe.knownEvent,
        members: [],
        features: open ? storedFeatures(open.features) : "",
        index: open?.index.map(featureKey) ?? [],
      };
      this.clusters.set(id, cluster);
    }
    cluster.first = Math.min(cluster.first, entry.time);
    cluster.last = Math.max(cluster.last, entry.time);
    cluster.count++;
    const alsoReportedBy = reportedBy(cluster.members, entry.member);
    cluster.members = [...cluster.members, entry.member].slice(-MEMBER_CAP);
    for (const f of cluster.index) this.addToIndex(f, id, cluster.last);

    const record: StoryRecord = { dedupe: { ...entry.dedupe, alsoReportedBy }, member: cluster.count };
    const copy = { id: entry.storyId, time: entry.time, signature: entry.signature, cluster: id, knownEvent: entry.dedupe.knownEvent };
    this.stories.set(entry.storyId, { record, copy });
    for (const band of entry.bands) this.buckets.set(`${spanOf(entry.time, entry.window)}:${band}`, entry.storyId);
    return { status: "done", record };
  }

  async recentClusters(since: number, limit: number): Promise<ClusterView[]> {
    return [...this.clusters.values()]
      .filter((c) => c.last >= since)
      .sort((a, b) => b.last - a.last)
      .slice(0, limit)
      .map(({ id, first, last, count, knownEvent, members }) => ({ id, first, last, count, knownEvent, members }));
  }

  private addToIndex(feature: string, id: string, last: number): void {
    const entries = this.index.get(feature) ?? new Map<string, number>();
    entries.set(id, last);
    if (entries.size > INDEX_CAP) {
      const oldest = [...entries].sort((a, b) => a[1] - b[1])[0];
      if (oldest) entries.delete(oldest[0]);
    }
    this.index.set(feature, entries);
  }
}
