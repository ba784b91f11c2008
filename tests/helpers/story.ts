/** A queued Story for tests that put jobs on the pipeline's queues by hand. */
import type { Story } from "../../src/model/index.js";

export function testStory(overrides: Partial<Story> = {}): Story {
  return {
    id: "a".repeat(32),
    feedUrl: "https://feeds.example/wire.xml",
    source: "Example Wire",
    title: "Frigates of Ruritania dock at Kessel for a week of joint drills",
    description: "Three frigates arrived for joint training.",
    link: null,
    published: "2031-06-01T09:00:00.000Z",
    author: null,
    categories: [],
    enclosures: [],
    truncated: [],
    ...overrides,
  };
}
