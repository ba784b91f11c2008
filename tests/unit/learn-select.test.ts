import { describe, expect, it } from "vitest";
import { oneStandardError, type Candidate } from "../../src/learn/train.js";

const candidate = (l2: number, f1: number, se: number): Candidate => ({
  selection: { l2, thresholds: { full: 0.4, titles: 0.45 }, f1, precision: f1, recall: f1 },
  se,
});

describe("choosing the L2 strength (one-standard-error rule)", () => {
  it("takes the strongest regularisation within one standard error of the best F1", () => {
    const chosen = oneStandardError([candidate(0.3, 0.895, 0.01), candidate(1, 0.893, 0.01), candidate(3, 0.89, 0.01), candidate(10, 0.88, 0.01)]);
    expect(chosen.l2).toBe(3);
  });

  it("keeps the best strength when every other one is further than its standard error", () => {
    const chosen = oneStandardError([candidate(0.3, 0.8, 0.02), candidate(1, 0.9, 0.005), candidate(3, 0.85, 0.02)]);
    expect(chosen.l2).toBe(1);
  });

  it("measures the distance with the best strength's own standard error", () => {
    // 10 is within its own (wide) error of the best, but not within the best's (narrow) one.
    const chosen = oneStandardError([candidate(1, 0.9, 0.001), candidate(10, 0.88, 0.05)]);
    expect(chosen.l2).toBe(1);
  });

  it("refuses an empty grid", () => {
    expect(() => oneStandardError([])).toThrow(/empty L2 grid/);
  });
});
