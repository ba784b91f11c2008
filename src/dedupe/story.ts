/** What the deduplicator reads of a pipeline story and its classification. */
import type { Classification, Story } from "../model/index.js";
import type { StoryInput } from "./fingerprint.js";
import type { MemberView } from "./store.js";

export function storyInput(story: Story, classification: Classification): StoryInput {
  return {
    id: story.id,
    time: Date.parse(story.published),
    title: story.title,
    description: story.description,
    entities: classification.entities,
    topics: classification.topics,
  };
}

/** The story as a cluster lists it (the verdict is filled at commit). */
export function memberOf(story: Story): MemberView {
  return { id: story.id, title: story.title, source: story.source, link: story.link, published: story.published, verdict: "new" };
}
