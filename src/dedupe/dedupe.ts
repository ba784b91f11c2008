/**
 * One story through the deduplicator: look up what it may repeat, decide,
 * commit; when another worker committed something relevant in between, look
 * again. A story already recorded gets its recorded verdict back.
 *
 * The stores hand back clusters with hashed features (fingerprint.ts), so the
 * story and the references are compared in that form; the store is given raw
 * feature names and hashes them itself.
 */
import type { DedupeSection } from "../config/sections/dedupe.js";
import { decide, type DecideOptions, type ReferenceSeed } from "./decide.js";
import { encodeFeatures, hashFeatures, hashedFingerprint, indexFeatures, type Fingerprint } from "./fingerprint.js";
import { encodeProfile, profileOf } from "./profile.js";
import { INDEX_FEATURES, type CommitEntry, type DedupeStore, type MemberView, type Snapshot, type StoryRecord } from "./store.js";

export interface DedupeOptions extends DecideOptions {
  /** Stored state outlives the window by this much. */
  margin: number;
}

export function dedupeOptions(section: DedupeSection): DedupeOptions {
  const { window, margin, duplicateThreshold, eventThreshold, referenceThreshold, mergeThreshold, halfLife, profileSize, idfStrength, disagreement } = section;
  return { window, margin, duplicateThreshold, eventThreshold, referenceThreshold, mergeThreshold, halfLife, profileSize, idfStrength, disagreement };
}

export interface DedupeDeps {
  store: DedupeStore;
  references: readonly ReferenceSeed[];
  options: DedupeOptions;
}

/** Commit attempts before giving up; each conflict means another worker just committed a related story (or merged its cluster). */
const ATTEMPTS = 8;

/** The snapshot with copies of merged clusters pointing at where their cluster went. */
function redirected(snapshot: Snapshot, moves: ReadonlyMap<string, { cluster: string; knownEvent: string | null }>): Snapshot {
  if (moves.size === 0) return snapshot;
  const copies = snapshot.copies.map((c) => {
    const to = moves.get(c.cluster);
    return to ? { ...c, cluster: to.cluster, knownEvent: to.knownEvent } : c;
  });
  return { ...snapshot, copies };
}

/** References hashed once per list: they are loaded at start-up and never change. */
const hashedLists = new WeakMap<readonly ReferenceSeed[], ReferenceSeed[]>();

function hashedReferences(references: readonly ReferenceSeed[]): ReferenceSeed[] {
  const cached = hashedLists.get(references);
  if (cached) return cached;
  const hashed = references.map((r) => ({ ...r, features: hashFeatures(r.features) }));
  hashedLists.set(references, hashed);
  return hashed;
}

/** What a story's fingerprint gives every attempt: index features, hashed form, profile. */
interface Derived {
  index: string[];
  stored: Fingerprint;
  profile: string;
}

/** Derived once per fingerprint object: eval replays the same fingerprints under many options. */
const derivedOf = new WeakMap<Fingerprint, Derived>();

function derived(fp: Fingerprint): Derived {
  let d = derivedOf.get(fp);
  if (!d) {
    d = { index: indexFeatures(fp.features, INDEX_FEATURES), stored: hashedFingerprint(fp), profile: encodeProfile(profileOf(fp.features)) };
    derivedOf.set(fp, d);
  }
  return d;
}

export async function dedupeStory(fp: Fingerprint, member: MemberView, deps: DedupeDeps): Promise<StoryRecord> {
  const { store, references, options } = deps;
  const { index, stored, profile } = derived(fp);
  const hashedRefs = hashedReferences(references);
  const moves = new Map<string, { cluster: string; knownEvent: string | null }>();
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const snapshot = await store.lookup({ storyId: fp.id, time: fp.time, bands: fp.bands, index, window: options.window });
    if (snapshot.existing) return snapshot.existing;
    const { absorb, ...decision } = decide(stored, redirected(snapshot, moves), hashedRefs, options);
    const reference = references.find((r) => r.id === decision.cluster);
    const entry: CommitEntry = {
      storyId: fp.id,
      time: fp.time,
      signature: fp.signature,
      bands: fp.bands,
      lookupIndex: index,
      dedupe: decision,
      member: { ...member, verdict: decision.verdict },
      open:
        decision.verdict === "new"
          ? { features: encodeFeatures(fp.features), index, knownEvent: null, time: fp.time, profile: "" }
          : reference
            ? // Indexed like any cluster, so that later reports can still join the known event through it.
              {
                features: encodeFeatures(reference.features),
                index: indexFeatures(reference.features, INDEX_FEATURES),
                knownEvent: reference.knownEvent,
                time: reference.first,
                profile: encodeProfile(profileOf(reference.features)),
              }
            : null,
      profile,
      profileSize: options.profileSize,
      absorb,
      window: options.window,
      ttl: options.window + options.margin,
    };
    const result = await store.commit(entry, snapshot.token);
    if (result.status === "done") return result.record;
    if (result.status === "moved") moves.set(result.from, { cluster: result.cluster, knownEvent: result.knownEvent });
  }
  throw new Error(`dedupe: story ${fp.id}: ${ATTEMPTS} commits in a row conflicted with other workers`);
}

export type AlertKind = "new" | "follow-up";

/**
 * Which alert a recorded verdict sends: a new event alerts; the first report
 * of a known event only when configured as a follow-up; a cluster sends one
 * follow-up when it reaches `followUpAt` stories.
 */
export function alertKind(record: StoryRecord, section: Pick<DedupeSection, "knownEvents" | "followUpAt">): AlertKind | null {
  const { verdict, knownEvent } = record.dedupe;
  if (verdict === "new") return "new";
  const followKnown = section.knownEvents === "follow-up";
  if (knownEvent !== null && !followKnown) return null;
  if (verdict === "known-event" && record.member === 1) return "follow-up";
  if (section.followUpAt > 1 && record.member === section.followUpAt) return "follow-up";
  return null;
}
