import { describe, expect, it } from "vitest";
import { dedupeStory, type DedupeDeps } from "../../src/dedupe/dedupe.js";
import {
  FEATURE_KEY_LENGTH,
  decodeFeatures,
  encodeFeatures,
  featureKey,
  fingerprint,
  hashedFingerprint,
  indexFeatures,
  storedFeatures,
  type StoryInput,
  type Vocabulary,
} from "../../src/dedupe/fingerprint.js";
import { MemoryDedupeStore } from "../../src/dedupe/memory-store.js";

const vocab: Vocabulary = { actorEntities: new Set(), actorTerms: new Set() };
const T = Date.parse("2031-03-01T10:00:00Z");
const options = { window: 72 * 3_600_000, margin: 3_600_000, duplicateThreshold: 0.5, eventThreshold: 0.2, referenceThreshold: 0.22, mergeThreshold: 0.35, halfLife: 4 * 86_400_000, profileSize: 64, idfStrength: 0, disagreement: 0 };

/** An entity name with a star, spaces and 10 KB of text: it becomes the feature `@star*_port_…`. */
const HUGE = `Star*Port  Authority ${"x".repeat(10_000)}`;
const KEY = /^[0-9a-f]{12}$/;

function story(id: string, title: string, description: string): StoryInput {
  return { id, time: T, title, description, entities: [{ name: HUGE, type: "org" }, { name: "Ada Brenner", type: "person" }], topics: ["a b*c"] };
}

describe("hashed dedupe features", () => {
  const fp = fingerprint(story("f1", "Star port opens a pier", "Ada Brenner opened the pier of the star port authority."), vocab);
  const huge = [...fp.features.keys()].find((f) => f.length > 10_000) as string;

  it("keeps raw features in the fingerprint, and every raw feature survives encoding", () => {
    expect(huge).toMatch(/^@star\*port_authority_x+$/);
    expect(fp.features.get("#a b*c")).toBe(0.3);
    expect(decodeFeatures(encodeFeatures(fp.features))).toEqual(fp.features);
  });

  it.each([["*"], [" "], ["a*b*2"], ["%0041"], ["tab\there"], [HUGE]])("encodes the feature %j without loss", (name) => {
    const features = new Map([[name, 1.5], ["plain", 1]]);
    expect(decodeFeatures(encodeFeatures(features))).toEqual(features);
  });

  it("stores only fixed-length keys, whatever the feature", () => {
    const stored = decodeFeatures(storedFeatures(encodeFeatures(fp.features)));
    expect(stored.size).toBe(fp.features.size);
    for (const key of stored.keys()) expect(key).toMatch(KEY);
    expect(stored.get(featureKey(huge))).toBe(1.5);
    expect(featureKey(huge)).toHaveLength(FEATURE_KEY_LENGTH);
    expect(indexFeatures(fp.features, 12).map(featureKey).every((k) => KEY.test(k))).toBe(true);
  });

  it("reads a hashed feature back by name", () => {
    const hashed = hashedFingerprint(fp);
    expect(hashed.names?.get(featureKey(huge))).toBe(huge);
    expect(hashed.features.get(featureKey("@ada_brenner"))).toBe(2);
  });

  it("groups two reports that share the odd name, and shows it as written", async () => {
    const deps: DedupeDeps = { store: new MemoryDedupeStore(), references: [], options };
    const member = (id: string) => ({ id, title: id, source: id, link: null, published: new Date(T).toISOString(), verdict: "new" as const });
    const first = await dedupeStory(fp, member("f1"), deps);
    const later = fingerprint(story("f2", "Authority names new pier master", "The star port authority said Ada Brenner will run the pier."), vocab);
    const second = await dedupeStory(later, member("f2"), deps);
    expect(first.dedupe.verdict).toBe("new");
    expect(second.dedupe).toMatchObject({ verdict: "same-event", cluster: "f1" });
    expect(second.dedupe.entities).toContain(HUGE);
    expect(second.dedupe.entities).toContain("Ada Brenner");
  });
});
