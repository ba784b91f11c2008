/** What `jobs failed` and `alerts pending` say a job is about, and the body excerpt a failed webhook keeps. */
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { bodyExcerpt } from "../../src/alerts/webhook.js";
import { jobSubject } from "../../src/queues/job-subject.js";
import type { Story } from "../../src/model/index.js";
import { testAlert } from "../helpers/alert-worker.js";
import { testStory } from "../helpers/story.js";

const story = (title: string): Story => testStory({ title, description: "" });

describe("jobSubject", () => {
  it.each([
    ["poll", { feed: { url: "https://ann:pw@feeds.example/x.xml", name: "X" } }, { subject: "X https://***:***@feeds.example/x.xml" }],
    ["classify", { feedUrl: "https://feeds.example/x.xml", stories: [story("One"), story("Two"), story("Three")] }, { subject: 'https://feeds.example/x.xml: "One", "Two" and 1 more' }],
    ["dedupe", { story: story("T".repeat(100)), classification: { relevant: true, score: 1, topics: [], entities: [], reasons: [] } }, { subject: `${"T".repeat(79)}… (Example Wire)` }],
    ["alert", { channel: "hook", alert: testAlert(1, { title: "Drill" }) }, { subject: "Drill", channel: "hook" }],
    ["alert", { channel: "mail", digest: { window: 42 } }, { subject: "digest window 42", channel: "mail" }],
    ["dedupe", { nonsense: true }, { subject: "(invalid payload)" }],
  ] as const)("%s %j", (stage, data, expected) => {
    expect(jobSubject(stage, data)).toEqual(expected);
  });
});

describe("bodyExcerpt", () => {
  it("keeps a short printable line with credentials blanked", async () => {
    const body = Readable.from([Buffer.from("bad\n\u001b[2J request: see https://ann:pw@docs.example/x")]);
    expect(await bodyExcerpt(body)).toBe("bad [2J request: see https://***:***@docs.example/x");
  });

  it("cuts a long body and stops reading it", async () => {
    let pulled = 0;
    const body = Readable.from(
      (function* () {
        for (; pulled < 1_000; pulled++) yield Buffer.from("x".repeat(100));
      })(),
    );
    expect(await bodyExcerpt(body, 150)).toBe(`${"x".repeat(150)}…`);
    expect(pulled).toBeLessThan(10);
  });
});
