/**
 * The verdict rule, pure. In order:
 *  1. duplicate   — a remembered story within the window whose MinHash
 *                   signature estimates word-pair Jaccard ≥ duplicateThreshold
 *                   (the best one); the story joins that story's cluster.
 *  2. known-event — a reference article dated within the window whose weighted
 *                   cosine ≥ referenceThreshold and which shares at least one
 *                   feature that is not an actor (naming only Iran and China is
 *                   not that event).
 *  3. same-event  — a cluster whose time span is within the window and whose
 *                   first story's weighted cosine ≥ eventThreshold (the best one);
 *                   known-event when that cluster is a reference's (a later
 *                   report joining the reports of a known event).
 *  4. new         — none of these: the story opens its own cluster.
 * `score` is the deciding similarity (for `new`, the best one that fell short).
 * The story, clusters and references must key their features alike: raw
 * (tests, references as loaded) or hashed (`hashedFingerprint`, as stored).
 */
import type { Dedupe } from "../model/index.js";
import { estimateJaccard } from "./minhash.js";
import { WEIGHTS, readableFeature, type Fingerprint } from "./fingerprint.js";
import { cosine, sharedFeatures } from "./similarity.js";
import type { ClusterSeed, Snapshot } from "./store.js";

export interface DecideOptions {
  window: number;
  duplicateThreshold: number;
  eventThreshold: number;
  referenceThreshold: number;
}

/** A reference article as the event layer sees it: a cluster of its own, dated, that never expires. */
export type ReferenceSeed = ClusterSeed & { knownEvent: string };

export type Decision = Omit<Dedupe, "alsoReportedBy">;

const round = (x: number) => Math.round(x * 1000) / 1000;

function inWindow(time: number, first: number, last: number, window: number): boolean {
  return time >= first - window && time <= last + window;
}

/** The shared features that decided a match, as people read them (entity names in their own spelling). */
function shared(fp: Fingerprint, seed: ClusterSeed): string[] {
  const name = (f: string) => fp.names?.get(f) ?? f;
  return sharedFeatures(fp.features, seed.features, 8, name).map((f) => readableFeature(name(f), fp.entities));
}

function best<T>(items: readonly T[], score: (item: T) => number): { item: T; score: number } | null {
  let top: { item: T; score: number } | null = null;
  for (const item of items) {
    const s = score(item);
    if (!top || s > top.score) top = { item, score: s };
  }
  return top;
}

function hasTellingFeature(a: Fingerprint, b: ClusterSeed): boolean {
  for (const [f, w] of a.features) if (w >= WEIGHTS.term && (b.features.get(f) ?? 0) >= WEIGHTS.term) return true;
  return false;
}

export function decide(fp: Fingerprint, snapshot: Snapshot, references: readonly ReferenceSeed[], options: DecideOptions): Decision {
  const { window } = options;
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
    };
  }

  const refs = references.filter((r) => inWindow(fp.time, r.first, r.last, window) && hasTellingFeature(fp, r));
  const ref = best(refs, (r) => cosine(fp.features, r.features));
  if (ref && ref.score >= options.referenceThreshold) {
    return {
      verdict: "known-event",
      cluster: ref.item.id,
      of: null,
      score: round(ref.score),
      entities: shared(fp, ref.item),
      knownEvent: ref.item.knownEvent,
    };
  }

  const clusters = snapshot.clusters.filter((c) => inWindow(fp.time, c.first, c.last, window));
  const event = best(clusters, (c) => cosine(fp.features, c.features));
  if (event && event.score >= options.eventThreshold) {
    return {
      verdict: event.item.knownEvent === null ? "same-event" : "known-event",
      cluster: event.item.id,
      of: null,
      score: round(event.score),
      entities: shared(fp, event.item),
      knownEvent: event.item.knownEvent,
    };
  }

  const shortfall = Math.max(event?.score ?? 0, ref?.score ?? 0);
  return { verdict: "new", cluster: fp.id, of: null, score: round(shortfall), entities: fp.entities, knownEvent: null };
}
