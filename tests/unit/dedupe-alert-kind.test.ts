import { describe, expect, it } from "vitest";
import { alertKind } from "../../src/dedupe/dedupe.js";
import type { StoryRecord } from "../../src/dedupe/store.js";
import type { Verdict } from "../../src/model/index.js";

function rec(verdict: Verdict, member: number, knownEvent: string | null = null): StoryRecord {
  return { dedupe: { verdict, cluster: "c", of: null, score: 1, entities: [], knownEvent, alsoReportedBy: [] }, member };
}

describe("alertKind", () => {
  it.each([
    ["a new event", rec("new", 1), "suppress", 3, "new"],
    ["a later report", rec("same-event", 2), "suppress", 3, null],
    ["the report that reaches followUpAt", rec("same-event", 3), "suppress", 3, "follow-up"],
    ["a copy that reaches followUpAt", rec("duplicate", 3), "suppress", 3, "follow-up"],
    ["a report past followUpAt", rec("same-event", 4), "suppress", 3, null],
    ["follow-ups switched off", rec("same-event", 3), "suppress", 0, null],
    ["a known event, suppressed", rec("known-event", 1, "ref"), "suppress", 3, null],
    ["a known event reaching followUpAt, suppressed", rec("same-event", 3, "ref"), "suppress", 3, null],
    ["the first report of a known event as follow-up", rec("known-event", 1, "ref"), "follow-up", 3, "follow-up"],
    ["a later report of a known event as follow-up", rec("known-event", 2, "ref"), "follow-up", 3, null],
  ] as const)("%s", (_name, record, knownEvents, followUpAt, expected) => {
    expect(alertKind(record, { knownEvents, followUpAt })).toBe(expected);
  });
});
