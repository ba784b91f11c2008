/**
 * The deduplicator as the offline commands run it (`dedupe`, `eval`): stories
 * in stream order, classified for their entities and topics, through the same
 * fingerprint, rule and commit as the service, on an in-memory store.
 */
import { classifyStory } from "../classify/classify.js";
import type { Config } from "../config/schema.js";
import type { Classification, Story } from "../model/index.js";
import { loadReferenceSeeds } from "./reference-seeds.js";
import { dedupeOptions, dedupeStory } from "./dedupe.js";
import { buildVocabulary, fingerprint } from "./fingerprint.js";
import { MemoryDedupeStore } from "./memory-store.js";
import type { StoryRecord } from "./store.js";
import { memberOf, storyInput } from "./story.js";

export interface OfflineResult {
  story: Story;
  classification: Classification;
  record: StoryRecord;
}

/** Dedupes classified stories one at a time, in the order given, as the dedupe stage does (replay feeds it only relevant ones, as the service does). */
export function createStoryDeduper(config: Config): (story: Story, classification: Classification) => Promise<StoryRecord> {
  const vocab = buildVocabulary(config.topics);
  const deps = {
    store: new MemoryDedupeStore(),
    references: loadReferenceSeeds(config, vocab),
    options: dedupeOptions(config.dedupe),
  };
  return (story, classification) => dedupeStory(fingerprint(storyInput(story, classification), vocab), memberOf(story), deps);
}

/** Classifies and dedupes stories one at a time, in the order given (callers sort by publication). */
export function createOfflineDeduper(config: Config): (story: Story) => Promise<OfflineResult> {
  const dedupe = createStoryDeduper(config);
  return async (story) => {
    const classification = classifyStory(story, config.topics);
    return { story, classification, record: await dedupe(story, classification) };
  };
}
