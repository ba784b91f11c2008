/** One entity text for stories and reference events: classify.ts and extractEntities read a story the same way. */
import { beforeAll, describe, expect, it } from "vitest";
import { classifyStory } from "../../src/classify/classify.js";
import { buildGazetteer, entityText, extractEntities, type Gazetteer } from "../../src/classify/entities.js";
import { loadConfig } from "../../src/config/load.js";
import type { TopicSection } from "../../src/config/sections/topics.js";
import { DEFAULT_CONFIG_PATH } from "../../src/paths.js";

let topics: TopicSection[];
let gazetteer: Gazetteer;

beforeAll(() => {
  topics = loadConfig(DEFAULT_CONFIG_PATH, {}).config.topics;
  gazetteer = buildGazetteer(topics);
});

describe("entityText", () => {
  it.each<[string[], string]>([
    [["Iran hosts talks with Pakistan", "Navy Commander Naveed Ashraf arrived."], "Iran hosts talks with Pakistan. Navy Commander Naveed Ashraf arrived."],
    [["Who sails to Bandar Abbas?", "Three ships did"], "Who sails to Bandar Abbas? Three ships did."],
    [["He said “we are ready.”", "Talks follow."], "He said “we are ready.” Talks follow."],
    [[], ""],
  ])("%j → %j", (sentences, text) => expect(entityText(sentences)).toBe(text));
});

describe("a story's entities", () => {
  it.each([
    ["Iranian envoy arrives in Karachi", "Navy Commander Naveed Ashraf met him on Monday."],
    ["Chinese warships reach Bandar Abbas", "Rear Admiral Shahram Irani welcomed them.  Drills start Friday."],
    ["Wei Fenghe visits Tehran.", ""],
  ])("are the same from classify and from extractEntities: %s", (title, description) => {
    const fromClassify = classifyStory({ title, description }, topics).entities;
    expect(fromClassify).toEqual(extractEntities({ title, description }, gazetteer));
  });

  // Joined without a full stop, "Karachi Navy Commander …" read as one phrase and NER lost the city.
  it("keeps a name at the end of the headline apart from the description", () => {
    const story = { title: "Iranian envoy arrives in Karachi", description: "Navy Commander Naveed Ashraf met him on Monday." };
    expect(classifyStory(story, topics).entities.map((e) => e.name)).toContain("Karachi");
  });
});
