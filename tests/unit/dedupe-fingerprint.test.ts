import { describe, expect, it } from "vitest";
import { decide, type ReferenceSeed } from "../../src/dedupe/decide.js";
import { decodeFeatures, encodeFeatures, fingerprint, indexFeatures, type StoryInput, type Vocabulary } from "../../src/dedupe/fingerprint.js";
import { bandKeys, estimateJaccard, shingles, signature } from "../../src/dedupe/minhash.js";
import { cosine } from "../../src/dedupe/similarity.js";
import type { Snapshot } from "../../src/dedupe/store.js";
import { contentTerms, words } from "../../src/dedupe/text.js";

const vocab: Vocabulary = { actorEntities: new Set(["norland", "ostria"]), actorTerms: new Set(["norland", "norlandic", "ostria", "ostrian"]) };
const DAY = 86_400_000;
const T = Date.parse("2031-03-01T10:00:00Z");

function input(id: string, title: string, description: string, entities: StoryInput["entities"] = [], time = T): StoryInput {
  return { id, time, title, description, entities, topics: [] };
}

const empty: Snapshot = { existing: null, copies: [], clusters: [], df: new Map(), token: "" };
const options = { window: 3 * DAY, duplicateThreshold: 0.5, eventThreshold: 0.2, referenceThreshold: 0.22, mergeThreshold: 0.35, halfLife: 4 * 86_400_000, profileSize: 64, idfStrength: 0, disagreement: 0 };

describe("text", () => {
  it("folds case, accents, quotes and plurals, and drops stopwords", () => {
    expect(words("Zoë’s DRILLS—in the Bay")).toEqual(["zoe", "drills", "in", "the", "bay"]);
    expect(contentTerms("The navies held drills in the bay")).toEqual(["navie", "held", "drill", "bay"]);
  });
});

describe("minhash", () => {
  it.each([
    ["the same text", "ships dock at the harbour after a long patrol at sea", "ships dock at the harbour after a long patrol at sea", 1, 1],
    ["an edited copy", "ships dock at the harbour after a long patrol at sea today", "ships dock at the harbour after a long patrol at sea", 0.6, 1],
    ["unrelated texts", "ships dock at the harbour after a long patrol at sea", "grain prices fall as farmers bring in a record harvest", 0, 0.2],
  ])("estimates Jaccard for %s", (_name, a, b, min, max) => {
    const j = estimateJaccard(signature(shingles(words(a))), signature(shingles(words(b))));
    expect(j).toBeGreaterThanOrEqual(min);
    expect(j).toBeLessThanOrEqual(max);
  });

  it("puts identical texts in the same LSH buckets", () => {
    const sig = signature(shingles(words("ships dock at the harbour")));
    expect(bandKeys(sig)).toEqual(bandKeys([...sig]));
    expect(new Set(bandKeys(sig)).size).toBe(bandKeys(sig).length);
  });
});

describe("fingerprint", () => {
  it("weighs people above places above words above actors", () => {
    const fp = fingerprint(
      input("a1", "Norland minister Ada Brenner visits Kessel", "Talks in Kessel.", [
        { name: "Ada Brenner", type: "person" },
        { name: "Kessel", type: "place" },
        { name: "Norland", type: "country" },
      ]),
      vocab,
    );
    expect(fp.features.get("@ada_brenner")).toBe(2);
    expect(fp.features.get("@kessel")).toBe(1.5);
    expect(fp.features.get("minister")).toBe(1);
    expect(fp.features.get("@norland")).toBe(0.2);
    expect(fp.features.get("norland")).toBe(0.2);
    expect(indexFeatures(fp.features, 2)).toEqual(["@ada_brenner", "@kessel"]);
    expect(decodeFeatures(encodeFeatures(fp.features))).toEqual(fp.features);
  });

  it("gives a story without words no LSH buckets", () => {
    expect(fingerprint(input("a2", "", ""), vocab).bands).toEqual([]);
  });
});

describe("decide", () => {
  const brenner = [{ name: "Ada Brenner", type: "person" as const }, { name: "Kessel", type: "place" as const }];
  const seedFp = fingerprint(input("s1", "Ada Brenner opens Kessel naval base", "The Norland admiral opened piers for patrol ships.", brenner), vocab);
  const seed = { id: "s1", first: T, last: T, features: seedFp.features, profile: new Map<string, number>(), knownEvent: null };

  it("joins a differently worded report of the same event", () => {
    const fp = fingerprint(input("s2", "Kessel gets a naval base", "Admiral Ada Brenner said patrol ships will use the new piers.", brenner, T + DAY), vocab);
    const d = decide(fp, { ...empty, clusters: [seed] }, [], options);
    expect(d).toMatchObject({ verdict: "same-event", cluster: "s1", of: null });
    expect(d.entities).toContain("Ada Brenner");
  });

  it("calls a report joining a reference's cluster the known event", () => {
    const fp = fingerprint(input("s7", "Kessel gets a naval base", "Admiral Ada Brenner said patrol ships will use the new piers.", brenner, T + DAY), vocab);
    const known = { ...seed, id: "ref-1", knownEvent: "ref-1" };
    expect(decide(fp, { ...empty, clusters: [known] }, [], options)).toMatchObject({ verdict: "known-event", cluster: "ref-1", knownEvent: "ref-1" });
  });

  it("keeps a report outside the window apart", () => {
    const fp = fingerprint(input("s3", "Kessel gets a naval base", "Admiral Ada Brenner said patrol ships will use the new piers.", brenner, T + 5 * DAY), vocab);
    expect(decide(fp, { ...empty, clusters: [seed] }, [], options).verdict).toBe("new");
  });

  it("does not join stories that share only the actors", () => {
    const fp = fingerprint(input("s4", "Norland and Ostria sign grain deal", "Norlandic and Ostrian traders agreed on wheat.", [{ name: "Norland", type: "country" }, { name: "Ostria", type: "country" }]), vocab);
    const ref: ReferenceSeed = { ...seed, id: "ref-1", knownEvent: "ref-1", features: fingerprint(input("r", "Norland and Ostria talk", "Norland Ostria.", [{ name: "Norland", type: "country" }]), vocab).features };
    expect(cosine(fp.features, ref.features)).toBeGreaterThan(0);
    expect(decide(fp, empty, [ref], options).verdict).toBe("new");
  });

  it("marks a copy as a duplicate of the story it repeats, in that story's cluster", () => {
    const other = fingerprint(input("s5", "Grain prices fall in Oster", "Wheat is cheaper after the harvest."), vocab);
    const original = fingerprint(input("s6", "Ada Brenner opens Kessel naval base", "The Norland admiral opened piers for patrol ships.", brenner), vocab);
    const snapshot = { ...empty, copies: [{ id: "s1", time: T, signature: original.signature, cluster: "c9", knownEvent: "ref-1" }] };
    expect(decide(original, snapshot, [], options)).toMatchObject({ verdict: "duplicate", of: "s1", cluster: "c9", knownEvent: "ref-1", score: 1 });
    expect(decide(other, snapshot, [], options).verdict).toBe("new");
  });
});
