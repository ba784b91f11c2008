/**
 * The verdict rule, pure. In order:
 *  1. duplicate   — a remembered story within the window whose MinHash
 *                   signature estimates word-pair Jaccard ≥ duplicateThreshold
 *                   (the best one); the story joins that story's cluster.
 *  2. known-event — a reference article dated within the window whose score
 *                   ≥ referenceThreshold and which shares at least one feature
 *                   that is not an actor (naming only Iran and China is not
 *                   that event).
 *  3. same-event  — a cluster whose time span is within the window and whose
 *                   score ≥ eventThreshold (the best one); known-event when
 *                   that cluster is a reference's (a later report joining the
 *                   reports of a known event).
 *  4. new         — none of these: the story opens its own cluster.
 *
 * A score is the weighted cosine with the event — the better of its cosines
 * with the first story and with the profile (profile.ts), less
 * `disagreement` times their difference — times a time factor that halves every
 * `halfLife` of distance between the story and the event's reports (zero
 * inside their span), so a report a day off joins more easily than one days off.
 * With idfStrength > 0, the cosine with a cluster weighs each of the story's
 * index features found in n > 1 clusters updated within the window (the
 * snapshot's `df`) by 1 / (1 + idfStrength · ln n), in both vectors: a name
 * or word many recent events share (a crowded week of the same actors) is
 * weak evidence that two reports tell the same one.
 *
 * Merges (`absorb`): when a known-event or same-event story also scores
 * ≥ mergeThreshold with other clusters, they are one event and merge into the
 * one it joins (survivor: a reference's cluster, else the oldest); and when
 * the joined event's profile, with this story added, comes to match a
 * reference (the reference test of step 2), all of it merges into that
 * reference's cluster and the story is known-event.
 *
 * `score` is the deciding similarity (for `new`, the best one that fell short).
 * The story, clusters and references must key their features alike: raw
 * (tests, references as loaded) or hashed (`hashedFingerprint`, as stored).
 */
import type { Dedupe } from "../model/index.js";
import { estimateJaccard } from "./minhash.js";
import { WEIGHTS, readableFeature, type Fingerprint } from "./fingerprint.js";
import { addProfiles, profileOf, type Profile } from "./profile.js";
import { cosine, sharedFeatures } from "./similarity.js";
import type { ClusterSeed, Snapshot } from "./store.js";

export interface DecideOptions {
  window: number;
  duplicateThreshold: number;
  eventThreshold: number;
  referenceThreshold: number;
  /** Score with a cluster (or reference) at or above which a story that joins another merges the two. */
  mergeThreshold: number;
  /** Distance in time from an event's reports that halves a score (ms; 0: time does not count). */
  halfLife: number;
  /** Features a cluster profile keeps. */
  profileSize: number;
  /** How much a feature in many recent clusters is discounted in a cluster score (0: not at all). */
  idfStrength: number;
  /**
   * What a gap between a story's cosine with a cluster's first story and with its profile costs: the score
   * is the better one less this times the gap (0: the better one; 0.5: their mean; 1: the lower one).
   */
  disagreement: number;
}

/** A reference article as the event layer sees it: a cluster of its own, dated, that never expires. */
export type ReferenceSeed = Omit<ClusterSeed, "profile"> & { knownEvent: string };

export type Decision = Omit<Dedupe, "alsoReportedBy"> & {
  /** Clusters that merge into `cluster` with this story. */
  absorb: string[];
};

const round = (x: number) => Math.round(x * 1000) / 1000;

function inWindow(time: number, first: number, last: number, window: number): boolean {
  return time >= first - window && time <= last + window;
}

/** 1 inside the event's span, halving every `halfLife` outside it. */
export function timeFactor(time: number, first: number, last: number, halfLife: number): number {
  const gap = time < first ? first - time : time > last ? time - last : 0;
  return halfLife > 0 ? Math.pow(0.5, gap / halfLife) : 1;
}

/** The shared features that decided a match, as people read them (entity names in their own spelling). */
function shared(fp: Fingerprint, features: ReadonlyMap<string, number>): string[] {
  const name = (f: string) => fp.names?.get(f) ?? f;
  return sharedFeatures(fp.features, features, 8, name).map((f) => readableFeature(name(f), fp.entities));
}

function best<T>(items: readonly T[], score: (item: T) => number): { item: T; score: number } | null {
  let top: { item: T; score: number } | null = null;
  for (const item of items) {
    const s = score(item);
    if (!top || s > top.score) top = { item, score: s };
  }
  return top;
}

/** The reference shares a feature it weighs as telling (not an actor's name, not a topic) with `features`. */
function sharesTellingFeature(features: ReadonlyMap<string, number>, ref: ReferenceSeed, minWeight: number): boolean {
  for (const [f, w] of ref.features) if (w >= WEIGHTS.term && (features.get(f) ?? 0) >= minWeight) return true;
  return false;
}

/** Per feature in more than one recent cluster, the factor its weight takes (header); undefined when off. */
export function idfFactors(df: ReadonlyMap<string, number>, strength: number): Map<string, number> | undefined {
  if (strength <= 0) return undefined;
  const out = new Map<string, number>();
  for (const [f, n] of df) if (n > 1) out.set(f, 1 / (1 + strength * Math.log(n)));
  return out;
}

/**
 * A story's score with a cluster: its cosines with the first story and with the profile (features weighed
 * by `idf`), the better one less `disagreement` times their gap, times the time factor. A story close to
 * one view of the event and far from the other is either off its core or only near what it has gathered.
 */
export function clusterScore(
  features: ReadonlyMap<string, number>,
  time: number,
  c: ClusterSeed,
  options: Pick<DecideOptions, "halfLife" | "disagreement">,
  idf?: ReadonlyMap<string, number>,
): number {
  const first = cosine(features, c.features, idf);
  const profile = c.profile.size > 0 ? cosine(features, c.profile, idf) : first;
  const sim = Math.max(first, profile) - options.disagreement * Math.abs(first - profile);
  return sim * timeFactor(time, c.first, c.last, options.halfLife);
}

function referenceScore(features: ReadonlyMap<string, number>, time: number, r: ReferenceSeed, halfLife: number): number {
  return cosine(features, r.features) * timeFactor(time, r.first, r.last, halfLife);
}

/** Survivor of a merge: a known event's cluster, else the oldest (then the smallest id, so every worker picks alike). */
function survivorOrder(a: ClusterSeed, b: ClusterSeed): number {
  if ((a.knownEvent === null) !== (b.knownEvent === null)) return a.knownEvent === null ? 1 : -1;
  return a.first - b.first || (a.id < b.id ? -1 : 1);
}

export function decide(fp: Fingerprint, snapshot: Snapshot, references: readonly ReferenceSeed[], options: DecideOptions): Decision {
  const { window, halfLife } = options;
  const copies = snapshot.copies.filter((c) => c.id !== fp.id && Math.abs(c.time - fp.time) <= window);
  const copy = best(copies, (c) => estimateJaccard(fp.signature, c.signature));
  if (copy && copy.score >= options.duplicateThreshold) {
    return {
      verdict: "duplicate",
      cluster: copy.item.cluster,
      of: copy.item.id,
      score: round(copy.score),
      entities: fp.entities,
      knownEvent: copy.item.knownEvent,
      absorb: [],
    };
  }

  const inTime = references.filter((r) => inWindow(fp.time, r.first, r.last, window));
  const refs = inTime.filter((r) => sharesTellingFeature(fp.features, r, WEIGHTS.term));
  const ref = best(refs, (r) => referenceScore(fp.features, fp.time, r, halfLife));
  const clusters = snapshot.clusters.filter((c) => inWindow(fp.time, c.first, c.last, window));
  const idf = idfFactors(snapshot.df, options.idfStrength);
  const scored = clusters.map((c) => ({ c, score: clusterScore(fp.features, fp.time, c, options, idf) }));
  const strong = (except: string) => scored.filter((s) => s.c.id !== except && s.c.knownEvent === null && s.score >= options.mergeThreshold).map((s) => s.c);

  if (ref && ref.score >= options.referenceThreshold) {
    return {
      verdict: "known-event",
      cluster: ref.item.id,
      of: null,
      score: round(ref.score),
      entities: shared(fp, ref.item.features),
      knownEvent: ref.item.knownEvent,
      absorb: strong(ref.item.id).map((c) => c.id),
    };
  }

  const event = best(scored, (s) => s.score);
  if (event && event.score >= options.eventThreshold) {
    const joined = [event.item.c, ...strong(event.item.c.id)].sort(survivorOrder);
    const [survivor, ...others] = joined as [ClusterSeed, ...ClusterSeed[]];
    const base = { of: null, score: round(event.score), entities: shared(fp, event.item.c.features) };
    if (survivor.knownEvent === null) {
      // The event as it will be once this story and the merged clusters are in it: does it now match a reference?
      const profile: Profile = addProfiles([...joined.map((c) => (c.profile.size > 0 ? c.profile : profileOf(c.features))), profileOf(fp.features)], options.profileSize);
      const first = Math.min(fp.time, ...joined.map((c) => c.first));
      const last = Math.max(fp.time, ...joined.map((c) => c.last));
      const linked = best(
        inTime.filter((r) => sharesTellingFeature(profile, r, 1)),
        (r) => cosine(profile, r.features) * timeFactor(r.first, first, last, halfLife),
      );
      if (linked && linked.score >= options.referenceThreshold) {
        const into = linked.item;
        return { ...base, verdict: "known-event", cluster: into.id, knownEvent: into.knownEvent, absorb: joined.map((c) => c.id).filter((id) => id !== into.id) };
      }
    }
    return {
      ...base,
      verdict: survivor.knownEvent === null ? "same-event" : "known-event",
      cluster: survivor.id,
      knownEvent: survivor.knownEvent,
      absorb: others.map((c) => c.id),
    };
  }

  const shortfall = Math.max(event?.score ?? 0, ref?.score ?? 0);
  return { verdict: "new", cluster: fp.id, of: null, score: round(shortfall), entities: fp.entities, knownEvent: null, absorb: [] };
}
