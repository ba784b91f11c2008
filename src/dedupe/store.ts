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

/** A cluster as the event layer compares against it: its first story's features and its profile (hashed, when read from a store), and its time span. */
export interface ClusterSeed {
  id: string;
  first: number;
  last: number;
  features: Map<string, number>;
  /** profile.ts: its members' summed features, the heaviest kept (empty for a reference not yet reported). */
  profile: Map<string, number>;
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
  /** Per index feature of the story (hashed key): clusters indexed by it and updated within the window (its recent document frequency). */
  df: Map<string, number>;
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
  open: {
    features: string;
    index: readonly string[];
    knownEvent: string | null;
    time: number;
    /** The profile it starts with (profile.ts encoding, raw features): a reference's own features; empty for a story, which joins it. */
    profile: string;
  } | null;
  /** The story's features as a profile (profile.ts encoding, raw features): added to the cluster's profile. */
  profile: string;
  profileSize: number;
  /** Clusters merged into `dedupe.cluster` before the story joins it, in order. */
  absorb: readonly string[];
  window: number;
  /** Stored keys live this long after their last update. */
  ttl: number;
}

/** `moved`: the story's cluster was merged into `cluster` since it was read; decide again with that one. */
export type CommitResult =
  | { status: "conflict" }
  | { status: "moved"; from: string; cluster: string; knownEvent: string | null }
  | { status: "done"; record: StoryRecord };

/** A cluster merged into another: its id, when (the merging story's time) and how many stories it brought. */
export interface MergeView {
  id: string;
  at: number;
  count: number;
}

export interface ClusterView {
  id: string;
  first: number;
  last: number;
  count: number;
  knownEvent: string | null;
  members: MemberView[];
  merged: MergeView[];
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
/** Index features a cluster keeps as stories join it and others merge into it: its first story's, then theirs. */
export const MERGED_INDEX_FEATURES = 2 * INDEX_FEATURES;
/**
 * Index features a joining story adds to its cluster (those it lacks, up to
 * MERGED_INDEX_FEATURES): so that a later report sharing words with any of
 * the event's reports, not only its first, finds the cluster.
 */
export const JOIN_INDEX_FEATURES = 4;

/** `ix` (space-separated feature keys) with up to `most` of `add`'s features it lacks, capped at MERGED_INDEX_FEATURES. */
function extendIndex(ix: string, add: readonly string[], most: number): string {
  const out = ix.split(" ").filter(Boolean);
  let added = 0;
  for (const f of add) {
    if (added >= most || out.length >= MERGED_INDEX_FEATURES) break;
    if (f && !out.includes(f)) {
      out.push(f);
      added++;
    }
  }
  return out.join(" ");
}

/** Index features of a survivor after a merge: its own, then the loser's new ones, capped. */
export function mergedIndex(survivor: string, loser: string): string {
  return extendIndex(survivor, loser.split(" "), MERGED_INDEX_FEATURES);
}

/** Index features of a cluster after a story joins it: its own, then a few of the story's (feature keys, most telling first). */
export function joinedIndex(cluster: string, story: readonly string[]): string {
  return extendIndex(cluster, story, JOIN_INDEX_FEATURES);
}

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
