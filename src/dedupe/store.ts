/**
 * The state the deduplicator keeps, behind one interface: Redis in the
 * service (redis-store.ts), memory in the offline CLI and eval
 * (memory-store.ts), so that eval measures what the service does.
 *
 * A verdict is decided between `lookup` and `commit`; `commit` applies it only
 * when nothing the lookup saw has changed since (`token`), so two workers
 * never both open a cluster for one event, and only once per story, so a
 * re-run gets the recorded verdict back without counting twice.
 *
 * Callers speak in raw features (index names, `encodeFeatures` lists); a
 * store keys and keeps them hashed (fingerprint.ts `featureKey`), so no word
 * or name reaches a key, and the clusters it returns have hashed features.
 */
import type { Dedupe, Verdict } from "../model/index.js";

/** A cluster member as `clusters` lists it. */
export interface MemberView {
  id: string;
  title: string;
  source: string;
  link: string | null;
  published: string;
  verdict: Verdict;
}

export interface StoryRecord {
  dedupe: Dedupe;
  /** This story's place in its cluster (1 = first). */
  member: number;
}

/** A remembered story that shares an LSH bucket with the one being deduped. */
export interface CopyCandidate {
  id: string;
  time: number;
  signature: number[];
  cluster: string;
  knownEvent: string | null;
}

/** A cluster as the event layer compares against it: its first story's features (hashed, when read from a store) and its time span. */
export interface ClusterSeed {
  id: string;
  first: number;
  last: number;
  features: Map<string, number>;
  knownEvent: string | null;
}

export interface LookupQuery {
  storyId: string;
  time: number;
  bands: readonly string[];
  /** The story's index features (fingerprint.ts indexFeatures), raw: the store hashes them. */
  index: readonly string[];
  window: number;
}

export interface Snapshot {
  existing: StoryRecord | null;
  copies: CopyCandidate[];
  clusters: ClusterSeed[];
  /** Names what the lookup saw; `commit` refuses when it changed. */
  token: string;
}

export interface CommitEntry {
  storyId: string;
  time: number;
  signature: number[];
  bands: readonly string[];
  /** The story's lookup index features (the token covers them). */
  lookupIndex: readonly string[];
  /** The verdict without alsoReportedBy, which the commit fills from the cluster's members. */
  dedupe: Omit<Dedupe, "alsoReportedBy">;
  member: MemberView;
  /** Set when the story opens a cluster (a `new` verdict, or the first report of a known event); raw features, as `lookupIndex`. */
  open: { features: string; index: readonly string[]; knownEvent: string | null; time: number } | null;
  window: number;
  /** Stored keys live this long after their last update. */
  ttl: number;
}

export type CommitResult = { status: "conflict" } | { status: "done"; record: StoryRecord };

export interface ClusterView {
  id: string;
  first: number;
  last: number;
  count: number;
  knownEvent: string | null;
  members: MemberView[];
}

export interface DedupeStore {
  lookup(query: LookupQuery): Promise<Snapshot>;
  commit(entry: CommitEntry, token: string): Promise<CommitResult>;
  /** Clusters updated at or after `since`, most recent first. */
  recentClusters(since: number, limit: number): Promise<ClusterView[]>;
}

/** Members kept per cluster (for "also reported by" and `clusters`). */
export const MEMBER_CAP = 50;
/** Clusters kept per index feature: the most recently updated. */
export const INDEX_CAP = 32;
/** Per index feature, only the most recently updated clusters are read: the lookup costs the same at any size. */
export const READ_PER_FEATURE = 8;
/** Clusters a lookup returns: those sharing the most index features with the story. */
export const CANDIDATES = 8;
/** Index features per story. */
export const INDEX_FEATURES = 12;

/**
 * LSH buckets are kept in one hash per span of `window` length (by publication
 * time), so that a whole span expires together; a story's copies are in its
 * own span or the two beside it.
 */
export function spanOf(time: number, window: number): number {
  return Math.floor(time / Math.max(window, 1));
}

export function windowSpans(time: number, window: number): number[] {
  const span = spanOf(time, window);
  return [span - 1, span, span + 1];
}

/** Distinct sources of the other members, in order of arrival. */
export function reportedBy(members: readonly MemberView[], self: MemberView): string[] {
  const out: string[] = [];
  for (const m of members) {
    if (m.id === self.id || !m.source || m.source === self.source || out.includes(m.source)) continue;
    out.push(m.source);
  }
  return out;
}
