import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import type { TopicSection } from "../../src/config/sections/topics.js";
import { buildGazetteer, extractEntities, type Gazetteer } from "../../src/classify/entities.js";
import { DEFAULT_CONFIG_PATH } from "../../src/paths.js";

let topics: TopicSection[];
let gazetteer: Gazetteer;

beforeAll(() => {
  topics = loadConfig(DEFAULT_CONFIG_PATH, {}).config.topics;
  gazetteer = buildGazetteer(topics);
});

const names = (title: string, description = "", ner = false) =>
  extractEntities({ title, description }, gazetteer, { ner }).map((e) => e.name);

describe("extractEntities (gazetteer)", () => {
  it.each([
    ["Raisi hosts a guest", "Ebrahim Raisi"],
    ["President Raisi hosts a guest", "Ebrahim Raisi"],
    ["Ebrahim Raisi hosts a guest", "Ebrahim Raisi"],
    ["Raeisi hosts a guest", "Ebrahim Raisi"],
    ["General Ashtinai spoke on Sunday", "Mohammad Reza Ashtiani"],
    ["Gharaei Ashtiani spoke on Sunday", "Mohammad Reza Ashtiani"],
    ["Tehran answers", "Iran"],
    ["Iranian officials answer", "Iran"],
    ["Beijing answers", "China"],
    ["Sino-Iranian relations warm", "China"],
    ["The People's Liberation Army moves", "PLA"],
    ["The People’s Liberation Army moves", "PLA"],
    ["Warships sail to Bandar Abbas", "Bandar Abbas"],
    ["Ships leave the Strait of Hormuz", "Strait of Hormuz"],
    ["The Marine Security Belt begins", "Maritime Security Belt"],
    ["Officials praise the 25-year agreement", "25-year agreement"],
    ["A switch to BeiDou is planned", "BeiDou"],
    ["伊朗与中国举行演习", "Iran"],
  ])("%s → %s", (title, expected) => {
    expect(names(title)).toContain(expected);
  });

  it("gives one entity for several spellings of one person", () => {
    const found = names("President Raisi meets guests", "Ebrahim Raisi said Raisi would host more.");
    expect(found.filter((n) => n === "Ebrahim Raisi")).toHaveLength(1);
  });

  it("keeps the longest name: South China Sea is a place, not China", () => {
    const found = names("A carrier leaves the South China Sea");
    expect(found).toContain("South China Sea");
    expect(found).not.toContain("China");
  });

  it("matches acronyms only in capitals", () => {
    expect(names("The PLA trains")).toContain("PLA");
    expect(names("A pla trains")).not.toContain("PLA");
  });

  it("does not match inside longer words", () => {
    expect(names("Iranistan and Chinaware are not countries")).toEqual([]);
  });

  it("reports each entity with its configured type", () => {
    const entities = extractEntities({ title: "Wei Fenghe visits Tehran", description: "" }, gazetteer, { ner: false });
    expect(entities).toEqual([
      { name: "Wei Fenghe", type: "person" },
      { name: "Iran", type: "country" },
    ]);
  });

  it("builds the gazetteer once per topics array", () => {
    expect(buildGazetteer(topics)).toBe(gazetteer);
  });
});

describe("extractEntities (NER after an actor)", () => {
  it("adds unknown names only when an actor is named", () => {
    expect(names("Iranian officials met Sarah Johnson on Monday", "", true)).toContain("Sarah Johnson");
    expect(names("Norwegian officials met Sarah Johnson on Monday", "", true)).not.toContain("Sarah Johnson");
  });

  it("does not duplicate a known entity under a title", () => {
    const found = names("Iran's president received Defense Minister Wei Fenghe", "", true);
    expect(found.filter((n) => n.includes("Wei"))).toEqual(["Wei Fenghe"]);
    expect(found).not.toContain("President");
  });

  it("does not add one word of a known name as another entity", () => {
    const found = names("Rear Admiral Shahram Irani met Chinese commanders", "Shahram said the talks went well.", true);
    expect(found).toContain("Shahram Irani");
    expect(found).not.toContain("Shahram");
  });
});
