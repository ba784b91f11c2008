import { describe, expect, it } from "vitest";
import { keywordAlert } from "../../src/eval/baseline.js";
import { confusionByKind, relevanceMetrics, type Prediction } from "../../src/learn/relevance.js";

const p = (kind: string, actual: boolean, predicted: boolean): Prediction => ({ kind, actual, predicted });

describe("relevanceMetrics", () => {
  it("computes precision, recall and F1 from the counts", () => {
    const m = relevanceMetrics([p("relevant", true, true), p("relevant", true, true), p("relevant", true, false), p("economic", false, true), p("economic", false, false)]);
    expect(m).toMatchObject({ tp: 2, fn: 1, fp: 1, tn: 1 });
    expect(m.precision).toBeCloseTo(2 / 3);
    expect(m.recall).toBeCloseTo(2 / 3);
    expect(m.f1).toBeCloseTo(2 / 3);
  });

  it("gives zeros, not NaN, when nothing is predicted", () => {
    expect(relevanceMetrics([p("relevant", true, false)])).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });
});

describe("confusionByKind", () => {
  it("counts alerts and accuracy per family, relevant first", () => {
    const rows = confusionByKind([p("diplomatic", false, true), p("diplomatic", false, false), p("relevant", true, true)]);
    expect(rows).toEqual([
      { kind: "relevant", items: 1, alerted: 1, accuracy: 1 },
      { kind: "diplomatic", items: 2, alerted: 1, accuracy: 0.5 },
    ]);
  });
});

describe("keywordAlert", () => {
  it.each([
    ["Iran and China hold naval drill", true],
    ["Tehran and Beijing discuss missile deal", true],
    ["Iran and China sign oil contract", false],
    ["Iran holds naval drill", false],
  ])("%s → %s", (title, expected) => {
    expect(keywordAlert({ title, description: "" })).toBe(expected);
  });
});
