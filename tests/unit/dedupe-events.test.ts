import { describe, expect, it } from "vitest";
import { clusterScore, decide, idfFactors, timeFactor, type ReferenceSeed } from "../../src/dedupe/decide.js";
import { fingerprint, type StoryInput, type Vocabulary } from "../../src/dedupe/fingerprint.js";
import { addProfiles, decodeProfile, encodeProfile, profileOf } from "../../src/dedupe/profile.js";
import type { ClusterSeed, Snapshot } from "../../src/dedupe/store.js";

const DAY = 86_400_000;
const T = Date.parse("2031-03-01T00:00:00Z");
const vocab: Vocabulary = { actorEntities: new Set(["norland"]), actorTerms: new Set(["norland"]) };
const options = { window: 3 * DAY, duplicateThreshold: 0.5, eventThreshold: 0.2, referenceThreshold: 0.22, mergeThreshold: 0.35, halfLife: 4 * DAY, profileSize: 64, idfStrength: 0, disagreement: 0 };
const empty: Snapshot = { existing: null, copies: [], clusters: [], df: new Map(), token: "" };
const person = (name: string) => ({ name, type: "person" as const });
const place = (name: string) => ({ name, type: "place" as const });

function fp(id: string, title: string, description: string, entities: StoryInput["entities"], time = T) {
  return fingerprint({ id, time, title, description, entities, topics: [] }, vocab);
}

function cluster(id: string, story: ReturnType<typeof fp>, first = story.time): ClusterSeed {
  return { id, first, last: first, features: story.features, profile: profileOf(story.features), knownEvent: null };
}

describe("cluster profile", () => {
  it("sums weights in tenths, keeps the heaviest, ties by key, and survives encoding", () => {
    const a = profileOf(new Map([["x", 1], ["y", 0.2], ["z", 2]]));
    expect([...a]).toEqual([["x", 10], ["y", 2], ["z", 20]]);
    const sum = addProfiles([a, profileOf(new Map([["y", 1], ["w", 1]]))], 3);
    expect([...sum]).toEqual([["z", 20], ["y", 12], ["w", 10]]);
    expect(decodeProfile(encodeProfile(sum))).toEqual(sum);
  });
});

describe("recent document frequency (idfStrength)", () => {
  it("discounts only features in more than one recent cluster, by 1 / (1 + strength · ln n), and is off at 0", () => {
    const factors = idfFactors(new Map([["a", 1], ["b", 4]]), 2);
    expect(factors?.has("a")).toBe(false);
    expect(factors?.get("b")).toBeCloseTo(1 / (1 + 2 * Math.log(4)));
    expect(idfFactors(new Map([["b", 4]]), 0)).toBeUndefined();
  });

  it("lowers a score that rests on a feature many recent events share, not one that rests on a rare one", () => {
    const seed = cluster("c1", fp("s1", "Ada Brenner opens Kessel base", "The admiral opened new piers.", [person("Ada Brenner"), place("Kessel")]));
    const story = fp("s2", "Brenner speaks at Oster dock", "She praised the crews.", [person("Ada Brenner")], T);
    const brenner = [...story.features.keys()].find((f) => seed.features.has(f)) as string;
    const crowded = idfFactors(new Map([[brenner, 8]]), 1);
    const rare = idfFactors(new Map([[brenner, 1]]), 1);
    const plain = clusterScore(story.features, T, seed, { halfLife: 0, disagreement: 0 });
    expect(clusterScore(story.features, T, seed, { halfLife: 0, disagreement: 0 }, crowded)).toBeLessThan(plain);
    expect(clusterScore(story.features, T, seed, { halfLife: 0, disagreement: 0 }, rare)).toBeCloseTo(plain);
  });
});

describe("first story and profile (disagreement)", () => {
  it("scores the better cosine at 0, their mean at 0.5 and the lower at 1", () => {
    const first = new Map([["dock", 1], ["kessel", 1]]);
    const seed: ClusterSeed = { id: "c1", first: T, last: T, features: first, profile: new Map([["dock", 10], ["oster", 10], ["crews", 10]]), knownEvent: null };
    const story = new Map([["dock", 1], ["kessel", 1], ["crews", 1]]);
    const withFirst = 2 / Math.sqrt(2 * 3);
    const withProfile = 2 / Math.sqrt(3 * 3);
    const at = (disagreement: number) => clusterScore(story, T, seed, { halfLife: 0, disagreement });
    expect(at(0)).toBeCloseTo(withFirst);
    expect(at(0.5)).toBeCloseTo((withFirst + withProfile) / 2);
    expect(at(1)).toBeCloseTo(withProfile);
  });

  it("compares with the first story alone while the cluster has no profile", () => {
    const seed: ClusterSeed = { id: "c1", first: T, last: T, features: new Map([["dock", 1]]), profile: new Map(), knownEvent: null };
    expect(clusterScore(new Map([["dock", 1], ["oster", 1]]), T, seed, { halfLife: 0, disagreement: 1 })).toBeCloseTo(1 / Math.sqrt(2));
  });
});

describe("time factor", () => {
  it("is 1 inside the event's span and halves every half-life outside it", () => {
    expect(timeFactor(T + DAY, T, T + 2 * DAY, 4 * DAY)).toBe(1);
    expect(timeFactor(T + 6 * DAY, T, T + 2 * DAY, 4 * DAY)).toBeCloseTo(0.5);
    expect(timeFactor(T - 8 * DAY, T, T, 4 * DAY)).toBeCloseTo(0.25);
    expect(timeFactor(T + 9 * DAY, T, T, 0)).toBe(1);
  });

  it("lets a report a day off join where the same report three days off does not", () => {
    const seed = cluster("c1", fp("s1", "Ada Brenner opens Kessel base", "The admiral opened new piers.", [person("Ada Brenner"), place("Kessel")]));
    const report = (time: number) => fp("s2", "Brenner speaks at Oster dock", "She praised the crews and the weather.", [person("Ada Brenner")], time);
    const near = decide(report(T + DAY), { ...empty, clusters: [seed] }, [], { ...options, eventThreshold: 0.3 });
    const far = decide(report(T + 3 * DAY), { ...empty, clusters: [seed] }, [], { ...options, eventThreshold: 0.3 });
    expect(near.verdict).toBe("same-event");
    expect(far.verdict).toBe("new");
  });
});

describe("merge decision", () => {
  const host = fp("a1", "Olen Marsk hosts envoy at Kerrow Hall", "Marsk welcomed a delegation.", [person("Olen Marsk"), place("Kerrow Hall")]);
  const guest = fp("b1", "Tavi Rund lands in Sella Port", "Rund arrived for a visit.", [person("Tavi Rund"), place("Sella Port")], T + 3_600_000);
  const bridge = fp("c1", "Marsk and Rund meet at Kerrow Hall", "Olen Marsk received Tavi Rund, who came through Sella Port.", [person("Olen Marsk"), person("Tavi Rund"), place("Kerrow Hall"), place("Sella Port")], T + 7_200_000);

  it("joins the older of two clusters a story matches strongly and absorbs the other", () => {
    const d = decide(bridge, { ...empty, clusters: [cluster("b1", guest), cluster("a1", host)] }, [], options);
    expect(d).toMatchObject({ verdict: "same-event", cluster: "a1", absorb: ["b1"] });
  });

  it("does not merge a cluster it matches only weakly", () => {
    const d = decide(bridge, { ...empty, clusters: [cluster("b1", guest), cluster("a1", host)] }, [], { ...options, mergeThreshold: 0.99 });
    expect(d.absorb).toEqual([]);
  });

  it("moves an event into a reference once its profile, with the story, matches it", () => {
    const ref: ReferenceSeed = { id: "ref-1", first: T, last: T, knownEvent: "ref-1", features: fp("r", "Rund visits Marsk", "Tavi Rund met Olen Marsk at Kerrow Hall after landing at Sella Port.", [person("Tavi Rund"), person("Olen Marsk"), place("Sella Port"), place("Kerrow Hall")]).features };
    // The story alone falls short of the reference; the event it joins (its profile) does not.
    const story = fp("g2", "Rund thanks the crews", "Tavi Rund praised sailors.", [person("Tavi Rund")], T + 3_600_000);
    const c = { ...cluster("a1", host), profile: addProfiles([profileOf(host.features), profileOf(bridge.features)], 64) };
    const d = decide(story, { ...empty, clusters: [c] }, [ref], { ...options, referenceThreshold: 0.5 });
    expect(d).toMatchObject({ verdict: "known-event", cluster: "ref-1", knownEvent: "ref-1", absorb: ["a1"] });
  });

  it("never links an event to a reference that shares only actors with it", () => {
    const actors = fp("r", "Norland talks", "Norland.", [{ name: "Norland", type: "country" }]);
    const ref: ReferenceSeed = { id: "ref-1", first: T, last: T, knownEvent: "ref-1", features: actors.features };
    const d = decide(bridge, { ...empty, clusters: [cluster("a1", host)] }, [ref], { ...options, referenceThreshold: 0 });
    expect(d.verdict).toBe("same-event");
  });
});
