/**
 * The dedupe fitter and its event-held-out cross-validation, on synthetic
 * stories whose similarities are known: two events of two reports each, the
 * reports of one event sharing four of six content words (cosine 2/3), the
 * two events sharing one (cosine 1/6). Only an event threshold between the
 * two groups every report with its own event and with no other.
 */
import { describe, expect, it } from "vitest";
import { DedupeSection } from "../../src/config/sections/dedupe.js";
import { dedupeOptions, type DedupeOptions } from "../../src/dedupe/dedupe.js";
import { fingerprint } from "../../src/dedupe/fingerprint.js";
import type { Tunable } from "../../src/dedupe/tuning.js";
import { crossValidateDedupe } from "../../src/eval/dedupe-cv.js";
import { compareScores, fitDedupe } from "../../src/eval/dedupe-fit.js";
import { pairScores, runDedupe, type DedupeScores, type PreparedEntry, type PreparedEvents } from "../../src/eval/dedupe-metrics.js";

const TIME = Date.parse("2024-05-10");
const vocab = { actorEntities: new Set<string>(), actorTerms: new Set<string>() };

function entry(id: string, event: string | null, text: string): PreparedEntry {
  const fp = fingerprint({ id, time: TIME, title: text, description: "", entities: [], topics: [] }, vocab);
  return { id, event, fp, member: { id, title: text, source: `source-${id}`, link: null, published: new Date(TIME).toISOString(), verdict: "new" } };
}

const A1 = entry("a1", "event-a", "alpha bravo charlie delta echo foxtrot");
const B1 = entry("b1", "event-b", "kilo lima mike november alpha oscar");
const A2 = entry("a2", "event-a", "alpha bravo charlie delta golf hotel");
const B2 = entry("b2", "event-b", "kilo lima mike november papa quebec");
const prepared: PreparedEvents = { entries: [A1, B1, A2, B2], references: [] };

/** Copies never match (a Jaccard is at most 1), time and merges do not count: only the event threshold decides. */
const start: DedupeOptions = {
  ...dedupeOptions(DedupeSection.parse({})),
  duplicateThreshold: 1.1,
  eventThreshold: 0.95,
  referenceThreshold: 0.5,
  mergeThreshold: 1.1,
  halfLife: 0,
};

const grid: Tunable[] = [{ key: "eventThreshold", values: [0.05, 0.3, 0.95] }];

const scores = (s: Partial<DedupeScores>): DedupeScores => ({ precision: 1, recall: 1, f1: 1, referenceItems: 0, referenceRecall: null, wrongKnown: 0, ...s });

describe("runDedupe", () => {
  it("scores pairwise over event ids", async () => {
    expect(await runDedupe(prepared, { ...start, eventThreshold: 0.3 })).toMatchObject({ precision: 1, recall: 1, f1: 1, referenceRecall: null, wrongKnown: 0 });
    // Too low joins the events (how far depends on the cluster profile); too high splits them.
    expect((await runDedupe(prepared, { ...start, eventThreshold: 0.05 })).precision).toBeLessThan(1);
    expect(await runDedupe(prepared, { ...start, eventThreshold: 0.95 })).toMatchObject({ recall: 0, f1: 0 });
  });
});

describe("held-out scoring", () => {
  const heldOut = [
    { event: "e", cluster: "x", scored: true },
    { event: "e", cluster: "x", scored: true },
    { event: "f", cluster: "y", scored: true },
  ];

  it("never counts a pair of two training items", () => {
    const alone = pairScores(heldOut);
    expect(alone).toEqual({ precision: 1, recall: 1, f1: 1 });
    // Training items wrongly together (g, h in cluster z) and wrongly apart (i in two clusters): no change.
    const training = [
      { event: "g", cluster: "z", scored: false },
      { event: "h", cluster: "z", scored: false },
      { event: "i", cluster: "u", scored: false },
      { event: "i", cluster: "v", scored: false },
    ];
    expect(pairScores([...heldOut, ...training])).toEqual(alone);
  });

  it("counts a held-out item grouped with a training item as a false positive, and nothing for recall", () => {
    const s = pairScores([...heldOut, { event: "g", cluster: "y", scored: false }]);
    expect(s.precision).toBe(1 / 2);
    expect(s.recall).toBe(1);
  });

  it("scores every pair when nothing is marked", () => {
    expect(pairScores([{ event: "g", cluster: "z" }, { event: "h", cluster: "z" }]).precision).toBe(0);
  });

  it("runs the whole stream and judges only the selected items", async () => {
    // a1/a2 held out; b1/b2 (training) are wrongly split at 0.95, which must not count.
    const s = await runDedupe(prepared, { ...start, eventThreshold: 0.3 }, undefined, (i) => i === 0 || i === 2);
    expect(s).toMatchObject({ precision: 1, recall: 1 });
    const split = await runDedupe(prepared, { ...start, eventThreshold: 0.95 }, undefined, (i) => i === 1);
    expect(split).toMatchObject({ precision: 1, recall: 1 });
  });
});

describe("fitDedupe", () => {
  it("picks the threshold that separates the events", async () => {
    const fit = await fitDedupe(prepared, start, grid);
    expect(fit.options.eventThreshold).toBe(0.3);
    expect(fit.scores.f1).toBe(1);
    expect(fit.runs).toBe(3);
  });

  it("keeps the current value of a parameter the items cannot tell apart", async () => {
    const fit = await fitDedupe(prepared, { ...start, eventThreshold: 0.3 }, [...grid, { key: "referenceThreshold", values: [0.1, 0.2, 0.9] }]);
    expect(fit.options.referenceThreshold).toBe(0.5);
  });

  it("ranks fewer other-event known marks above any F1, then F1, then reference recall", () => {
    expect(compareScores(scores({ wrongKnown: 0, f1: 0.5 }), scores({ wrongKnown: 1, f1: 0.99 }))).toBeLessThan(0);
    expect(compareScores(scores({ f1: 0.9 }), scores({ f1: 0.8 }))).toBeLessThan(0);
    expect(compareScores(scores({ referenceRecall: 1 }), scores({ referenceRecall: 0.5 }))).toBeLessThan(0);
    expect(compareScores(scores({}), scores({}))).toBe(0);
  });
});

describe("crossValidateDedupe", () => {
  const many: PreparedEvents = {
    entries: [
      ...prepared.entries,
      entry("c1", "event-c", "romeo sierra tango uniform victor whiskey"),
      entry("c2", "event-c", "romeo sierra tango uniform xray yankee"),
      entry("d1", null, "zulu one two three four five"),
    ],
    references: [],
  };

  it("fits on the training folds only, never splitting an event, and scores each held-out fold", async () => {
    const seen: string[][] = [];
    const recording: typeof fitDedupe = (train, ...rest) => {
      seen.push(train.entries.map((e) => e.id));
      return fitDedupe(train, ...rest);
    };
    const result = await crossValidateDedupe(many, 3, start, { tunable: grid, fit: recording });
    expect(result.folds).toHaveLength(3);
    for (const [f, fold] of result.folds.entries()) {
      const train = new Set(seen[f]);
      const heldOut = many.entries.filter((e) => !train.has(e.id));
      expect(heldOut.length).toBe(fold.heldOut);
      expect(train.size + heldOut.length).toBe(many.entries.length);
      const trainEvents = new Set(many.entries.filter((e) => train.has(e.id)).map((e) => e.event));
      for (const e of heldOut) if (e.event !== null) expect(trainEvents.has(e.event)).toBe(false);
    }
    // The last fit is over all items, for the options to ship.
    expect(seen.at(-1)).toEqual(many.entries.map((e) => e.id));
    expect(result.all.options.eventThreshold).toBe(0.3);
  });
});
