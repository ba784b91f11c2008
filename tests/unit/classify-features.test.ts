/**
 * Each feature of the learned classifier, on sentences written for these
 * tests and a small lexicon of their own, so that a change to the shipped
 * lexicon does not change what is tested here.
 */
import { describe, expect, it } from "vitest";
import { compileTopic } from "../../src/classify/compile.js";
import { storyFeatures, type SentenceView } from "../../src/classify/features.js";
import { buildGazetteer, findMentions } from "../../src/classify/gazetteer.js";
import { Lexicon } from "../../src/classify/lexicon.js";
import { splitSentences } from "../../src/classify/sentences.js";
import { TopicSection } from "../../src/config/sections/topics.js";

const lexicon = Lexicon.parse({
  version: 1,
  categories: [
    { id: "weapons", kind: "frame", description: "arms", terms: ["missile", "arms", "fighter jet"] },
    { id: "exercises", kind: "frame", description: "drills", terms: ["drill", "exercise"] },
    { id: "diplomacy", kind: "context", description: "talks", terms: ["foreign minister", "arms embargo", "exercise restraint", "condemn*"] },
    { id: "attacks", kind: "context", description: "attacks", terms: ["strike on", "attack"] },
  ],
  conjunctions: [{ id: "reaction", description: "words after an attack", categories: ["diplomacy", "attacks"] }],
  relations: [
    { id: "exercise", label: "joint exercise", cues: ["drill"] },
    { id: "transfer", label: "arms transfer", cues: ["sell*", "deliver*"] },
  ],
  countries: [
    { name: "Ruritania", aliases: ["Ruritanian"] },
    { name: "Atlantis", aliases: ["Atlantean"] },
    { name: "Osterlich", aliases: ["Osterlicher"] },
  ],
});

const topic = TopicSection.parse({
  id: "a-b",
  name: "Atlantis–Borduria",
  actors: [
    { side: "Atlantis", entities: [{ name: "Atlantis", aliases: ["Atlantean"] }, { name: "General Ato", defense: true }] },
    { side: "Borduria", entities: [{ name: "Borduria", aliases: ["Bordurian"] }] },
  ],
  keywords: ["naval pact"],
});
const compiled = compileTopic(topic, lexicon);
const gazetteer = buildGazetteer([topic]);

function features(title: string, description = "") {
  const sentences: SentenceView[] = splitSentences(title, description).map((text) => ({ text, mentions: findMentions(text, gazetteer) }));
  return storyFeatures(compiled, sentences, description === "");
}
const names = (title: string, description = "") => features(title, description).hits.map((h) => h.name);

describe("storyFeatures", () => {
  it("has none when a side is not named, and says which", () => {
    const f = features("Atlantis test-fires a missile");
    expect(f.missing).toEqual(["Borduria"]);
    expect(f.hits).toEqual([]);
  });

  it("marks a headline alone, the sides in one sentence and in the headline", () => {
    expect(names("Atlantis and Borduria talk")).toEqual(expect.arrayContaining(["text.title-only", "sides.sentence", "sides.headline", "sides.joined", "sides.close"]));
    const apart = names("Atlantis speaks", "Far away, many weeks later and in another season entirely, Borduria answered.");
    expect(apart).not.toContain("sides.sentence");
    expect(apart).not.toContain("text.title-only");
  });

  it("tells a defense term beside both sides from one elsewhere", () => {
    expect(names("Atlantis sells a missile to Borduria")).toContain("frame.weapons.near");
    const far = names("Atlantis and Borduria meet", "Separately, a missile was shown in a museum.");
    expect(far).toContain("frame.weapons.far");
    expect(far).not.toContain("frame.weapons.near");
  });

  it("matches plurals of lexicon terms", () => {
    expect(names("Atlantis buys Bordurian fighter jets")).toContain("frame.weapons.near");
  });

  it("counts the topic's own keywords and defense entities", () => {
    const hits = names("General Ato signs naval pact with Borduria");
    expect(hits).toEqual(expect.arrayContaining(["frame.topic.near", "frame.entity.near", "frame.headline"]));
  });

  it("leaves a term inside a longer context phrase to the context", () => {
    const hits = names("Borduria backs Atlantis on arms embargo");
    expect(hits).not.toContain("frame.weapons.near");
    expect(hits).toContain("context.diplomacy.evidence");
  });

  it("leaves a relation cue inside a context phrase to the context", () => {
    const f = features("Borduria urges Atlantis to exercise restraint after a drill");
    expect(f.relation).toBe("exercise");
    expect(f.hits.find((h) => h.name === "relation.exercise")?.terms).toEqual(["drill"]);
    expect(features("Borduria urges Atlantis to exercise restraint").relation).toBeNull();
  });

  it("marks a dense context and a conjunction of contexts in the evidence sentence", () => {
    const hits = names("Borduria foreign minister condemns Atlantis strike on Ruritania", "He condemned the attack and called the foreign minister of Osterlich.");
    expect(hits).toEqual(expect.arrayContaining(["context.diplomacy.evidence", "context.attacks.evidence", "both.reaction"]));
    expect(names("Borduria's foreign minister condemns the condemned arms embargo on Atlantis")).toContain("context.diplomacy.dense");
  });

  it("names third countries, but never a topic's own side", () => {
    const hits = features("Atlantis, Ruritania and Borduria hold a drill");
    expect(hits.hits.map((h) => h.name)).toEqual(expect.arrayContaining(["third.headline", "third.joined"]));
    expect(hits.hits.find((h) => h.name === "third.headline")?.terms).toEqual(["ruritania"]);
  });

  it("does not count a side named only as a backer of someone else", () => {
    expect(features("Atlantis-backed rebels fire on Bordurian ships").missing).toEqual(["Atlantis"]);
  });

  it("picks the evidence sentence with the most defense categories", () => {
    const f = features("Atlantis and Borduria in the news", "Atlantis met Borduria. Borduria will sell a missile to Atlantis for a joint drill.");
    expect(f.evidence).toBe(2);
    expect(f.relation).toBe("exercise");
  });
});
